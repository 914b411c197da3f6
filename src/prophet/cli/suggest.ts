import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to what was typed, when close enough to be a slip
 * (two letters, or a third of a long word), for "did you mean" hints.
 */
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(typed.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= (typed.length <= 2 ? 1 : Math.max(2, Math.ceil(typed.length / 3))) ? best : undefined;
}

/** ` (did you mean X?)`, or nothing when no candidate is close. */
export function didYouMean(typed: string, candidates: Iterable<string>, show: (c: string) => string = (c) => c): string {
  const c = closest(typed, candidates);
  return c === undefined ? '' : ` (did you mean ${show(c)}?)`;
}
