/**
 * GitHub's rate limits, read from an answer: how long to wait before
 * asking again, and why. Pure: the client waits.
 *
 * - Primary limit: `x-ratelimit-remaining: 0` with `x-ratelimit-reset`
 *   (epoch seconds); a refused request is 403 or 429.
 * - Secondary limit: 403 or 429 with `retry-after` (seconds), or, without
 *   it, a message saying so: GitHub asks for at least a minute then.
 */

export interface RateWait {
  kind: 'primary' | 'secondary';
  /** Milliseconds from now. */
  ms: number;
  /** When the wait ends, epoch milliseconds. */
  until: number;
}

/** GitHub's advice when a secondary limit gives no retry-after. */
const SECONDARY_DEFAULT_MS = 60_000;
/** Slack after the announced reset: GitHub's clock and ours differ by up to a second. */
const RESET_SLACK_MS = 1000;

/** The wait a refused answer asks for, or undefined when the refusal is not a rate limit. */
export function refusedWait(status: number, headers: Headers, message: string, now: number): RateWait | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const after = Number(headers.get('retry-after'));
  if (headers.has('retry-after') && Number.isFinite(after)) return wait('secondary', Math.max(after, 0) * 1000, now);
  if (headers.get('x-ratelimit-remaining') === '0') return exhaustedWait(headers, now) ?? wait('primary', SECONDARY_DEFAULT_MS, now);
  if (/secondary rate limit|abuse/i.test(message)) return wait('secondary', SECONDARY_DEFAULT_MS, now);
  return undefined;
}

/** After any answer: when it says no request is left, the wait until the window resets. */
export function exhaustedWait(headers: Headers, now: number): RateWait | undefined {
  if (headers.get('x-ratelimit-remaining') !== '0') return undefined;
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return wait('primary', Math.max(reset * 1000 - now, 0) + RESET_SLACK_MS, now);
}

function wait(kind: RateWait['kind'], ms: number, now: number): RateWait {
  return { kind, ms, until: now + ms };
}

/** Longest wait SD sits through by default: longer ones fail with one line (SD_GITHUB_MAX_WAIT, seconds, changes it). */
export const DEFAULT_MAX_WAIT_S = 900;

export function maxWaitMs(env: NodeJS.ProcessEnv): number {
  const given = Number(env.SD_GITHUB_MAX_WAIT);
  return env.SD_GITHUB_MAX_WAIT !== undefined && Number.isFinite(given) && given >= 0 ? given * 1000 : DEFAULT_MAX_WAIT_S * 1000;
}
