/**
 * One request to a foreign tracker, bounded like the rest of Prophet's
 * HTTP: an answer within the timeout, no pause longer than it while the
 * body comes, no body past its limit. Failures are one line naming the
 * tracker (`RT at http://host/`), never its credentials.
 */
import { describeWait, ProphetError, readBody, TIMEOUT_ENV, Watchdog, type ByteLimit, type HttpTimeouts } from '../../prophet/index.js';

export interface Fetched {
  res: Response;
  /** Reads the whole body within the limit, guarded by the same watchdog; call once. */
  body(limit: ByteLimit): Promise<Buffer>;
}

export interface FetchSite {
  /** Names the tracker in messages: `RT at http://host/`. */
  who: string;
  timeouts: HttpTimeouts;
  /** Makes the error thrown: the connector's own kind (status 0: nothing was answered). */
  fail(message: string): Error;
}

export async function boundedFetch(url: URL, init: RequestInit, site: FetchSite, what: string): Promise<Fetched> {
  const watchdog = new Watchdog();
  watchdog.arm(site.timeouts.answerMs, `no answer within ${describeWait(site.timeouts.answerMs)}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: watchdog.signal });
  } catch (err) {
    watchdog.stop();
    if (watchdog.expired) throw site.fail(`${site.who}: ${what}: ${watchdog.expired} (${TIMEOUT_ENV} sets how long to wait)`);
    const code = (err as { cause?: { code?: string } }).cause?.code;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'no such host' : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
    throw site.fail(`cannot reach ${site.who}: ${why}`);
  }
  const idle = site.timeouts.idleMs;
  return {
    res,
    async body(limit) {
      try {
        return await readBody(res, limit, `${url.origin}${url.pathname}`, () => watchdog.arm(idle, `the answer stalled: nothing more came for ${describeWait(idle)}`));
      } catch (err) {
        if (watchdog.expired) throw site.fail(`${site.who}: ${url.pathname}: ${watchdog.expired}`);
        throw err;
      } finally {
        watchdog.stop(true);
      }
    },
  };
}

/** A tracker's message as one short line. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** A tracker's refusal or failure, with the HTTP status (0: nothing was answered) that decides its error code. */
export class TrackerError extends ProphetError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, status === 401 || status === 403 ? 'unauthorized' : status === 404 ? 'not-found' : 'http');
    this.name = 'TrackerError';
  }
}
