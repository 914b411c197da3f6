import { ProphetError } from '../model/errors.js';

/**
 * How long an HTTP exchange waits on a server that has gone quiet. Each
 * wait is bounded on its own, so a slow but steady download of a large
 * pack is fine, while a server that hangs is given up on within seconds,
 * not minutes.
 */
export interface HttpTimeouts {
  /** From sending a request to the answer's status line: connecting, then the server's work. */
  answerMs: number;
  /** The longest pause between two pieces of an answer's body. */
  idleMs: number;
}

export const TIMEOUT_ENV = 'PROPHET_HTTP_TIMEOUT_MS';

/**
 * Connecting alone gives up after this long: Node's fetch (undici) has
 * this limit built in; a lower timeout from the environment wins, since
 * the answer's timer runs from before connecting.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

const DEFAULT_MS = 30_000;

/** The timeouts from `PROPHET_HTTP_TIMEOUT_MS` (one number of milliseconds for both waits), else 30 s each. */
export function httpTimeouts(env: NodeJS.ProcessEnv = process.env): HttpTimeouts {
  const given = env[TIMEOUT_ENV];
  if (given === undefined || given === '') return { answerMs: DEFAULT_MS, idleMs: DEFAULT_MS };
  const ms = Number(given);
  if (!Number.isFinite(ms) || ms <= 0) throw new ProphetError(`${TIMEOUT_ENV} must be a positive number of milliseconds, not '${given}'`, 'usage');
  return { answerMs: ms, idleMs: ms };
}

/** A wait for messages: "500 ms", "30 s". */
export function describeWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
