/**
 * Full-text matches as two parallel lists in local id order: what SQLite
 * hands back as two JSON arrays. Kept so, not as one object per match,
 * because a word in every ticket is 50,000 matches, and building,
 * combining and sorting that many small objects cost more than the search.
 */
export interface TextMatches {
  luids: number[];
  /** Each match's rank: lower is better (FTS5's bm25 is negative), 0 when unranked. */
  ranks: number[];
}

/** The index of `luid` in the matches, or -1. */
function indexOf(m: TextMatches, luid: number): number {
  let [lo, hi] = [0, m.luids.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.luids[mid]! < luid) lo = mid + 1;
    else hi = mid;
  }
  return m.luids[lo] === luid ? lo : -1;
}

export const hasMatch = (m: TextMatches, luid: number) => indexOf(m, luid) >= 0;

/** A match's rank (0 when it is not one). */
export function rankOf(m: TextMatches, luid: number): number {
  const i = indexOf(m, luid);
  return i < 0 ? 0 : m.ranks[i]!;
}

/** Records in either list, a record in both keeping the first's rank. */
export function unionOfMatches(first: TextMatches, second: TextMatches): TextMatches {
  const out: TextMatches = { luids: [], ranks: [] };
  const take = (from: TextMatches, i: number) => {
    out.luids.push(from.luids[i]!);
    out.ranks.push(from.ranks[i]!);
  };
  let j = 0;
  for (let i = 0; i < first.luids.length; i++) {
    const luid = first.luids[i]!;
    for (; j < second.luids.length && second.luids[j]! < luid; j++) take(second, j);
    if (second.luids[j] === luid) j++;
    take(first, i);
  }
  for (; j < second.luids.length; j++) take(second, j);
  return out;
}

/** The local ids of `all` not in `without`, both ascending. */
export function sortedWithout(all: readonly number[], without: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const luid of all) {
    while (j < without.length && without[j]! < luid) j++;
    if (without[j] !== luid) out.push(luid);
  }
  return out;
}

/** Records in both lists, their ranks added. */
export function intersectionOfMatches(a: TextMatches, b: TextMatches): TextMatches {
  const out: TextMatches = { luids: [], ranks: [] };
  let j = 0;
  for (let i = 0; i < a.luids.length; i++) {
    const luid = a.luids[i]!;
    while (j < b.luids.length && b.luids[j]! < luid) j++;
    if (b.luids[j] !== luid) continue;
    out.luids.push(luid);
    out.ranks.push(a.ranks[i]! + b.ranks[j]!);
  }
  return out;
}

/** The matches but those in `excluded`. */
export function matchesWithout(m: TextMatches, excluded: ReadonlySet<number>): TextMatches {
  if (!excluded.size) return m;
  const keep = m.luids.map((luid) => !excluded.has(luid));
  return { luids: m.luids.filter((_, i) => keep[i]), ranks: m.ranks.filter((_, i) => keep[i]) };
}

/**
 * The local ids of a page of the matches, best rank first (last when
 * `descending`), ties by local id. A first page is picked in one pass
 * without sorting them all.
 */
export function bestMatches(m: TextMatches, descending: boolean, offset: number, limit: number | undefined): number[] {
  const n = m.luids.length;
  const before = (i: number, j: number) => (descending ? -1 : 1) * (m.ranks[i]! - m.ranks[j]!) || m.luids[i]! - m.luids[j]!;
  const want = limit === undefined ? n : Math.min(n, offset + limit);
  let top: number[];
  if (want * 8 >= n) {
    top = Array.from({ length: n }, (_, i) => i).sort(before);
  } else {
    // The best `want` so far, in order: a match no better than the last of them is passed over.
    top = [];
    for (let i = 0; i < n; i++) {
      if (top.length === want && before(i, top[want - 1]!) >= 0) continue;
      let [lo, hi] = [0, top.length];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(top[mid]!, i) <= 0) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, i);
      if (top.length > want) top.pop();
    }
  }
  return top.slice(offset, want).map((i) => m.luids[i]!);
}
