/**
 * A foreign tracker's HTTP, bounded like the rest of Prophet's: an answer
 * within the timeout, no pause longer than it, no body past its limit.
 * Every failure is one line naming the tracker and its server (never a
 * credential), made by the connector's own error class.
 */
import { describeWait, httpTimeouts, ProphetError, readBody, TIMEOUT_ENV, Watchdog, type ByteLimit, type HttpTimeouts } from '../../../prophet/index.js';

/** Makes the connector's error for a failure, with the HTTP status (0: no answer). */
export type TrackerFailure = (message: string, status: number) => ProphetError;

/** An answer, with the watchdog that goes on guarding the reading of its body. */
export interface Answer {
  res: Response;
  watchdog: Watchdog;
}

/** Seconds before a tracker's answer in which a record may still change with its whole-second update time unmoved. */
const OPEN_SECONDS = 2;

/**
 * Whether a record updated at `updated` (a time with whole seconds) may
 * still change unseen: its second was not over, or only just, when the
 * tracker answered at `answeredAt` (epoch ms, the tracker's clock).
 */
export function unsettled(updated: string, answeredAt: number): boolean {
  return Math.floor(Date.parse(updated) / 1000) > Math.floor(answeredAt / 1000) - OPEN_SECONDS;
}

export class TrackerHttp {
  requests = 0;
  /** The `Date` of the latest answer (epoch ms; our clock when it had none): the tracker's own now. */
  answeredAt = Date.now();
  private readonly timeouts: HttpTimeouts;

  constructor(
    /** `RT`, `Redmine`: for messages. */
    private readonly tracker: string,
    /** The server's base URL, without credentials, ending in '/'. */
    readonly server: string,
    private readonly fail: TrackerFailure,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.timeouts = httpTimeouts(env);
  }

  async send(path: string, method: string, headers: Headers, body?: string | FormData | URLSearchParams | Uint8Array): Promise<Answer> {
    const url = new URL(path, this.server);
    const watchdog = new Watchdog();
    watchdog.arm(this.timeouts.answerMs, `no answer within ${describeWait(this.timeouts.answerMs)}`);
    this.requests++;
    try {
      const res = await fetch(url, { method, headers, body: body as BodyInit | undefined, signal: watchdog.signal });
      this.answeredAt = answerDate(res.headers);
      return { res, watchdog };
    } catch (err) {
      watchdog.stop();
      if (watchdog.expired) throw this.fail(`${this.tracker} at ${this.server}: ${method} ${path}: ${watchdog.expired} (${TIMEOUT_ENV} sets how long to wait)`, 0);
      const code = (err as { cause?: { code?: string } }).cause?.code;
      const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'no such host' : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
      throw this.fail(`cannot reach ${this.tracker} at ${this.server}: ${why}`, 0);
    }
  }

  async body({ res, watchdog }: Answer, limit: ByteLimit, path: string): Promise<Buffer> {
    const idle = this.timeouts.idleMs;
    try {
      return await readBody(res, limit, `${this.server}${path}`, () => watchdog.arm(idle, `the answer stalled: nothing more came for ${describeWait(idle)}`));
    } catch (err) {
      if (watchdog.expired) throw this.fail(`${this.tracker} at ${this.server}: ${path}: ${watchdog.expired}`, 0);
      throw err;
    } finally {
      watchdog.stop(true);
    }
  }

  /** The error for an answer that is not the JSON asked for (a login page, a proxy's error page). */
  notJson(path: string, res: Response, hint: string): ProphetError {
    const type = res.headers.get('content-type') ?? 'nothing';
    return this.fail(`${this.server}${path} answered ${/html/i.test(type) ? 'HTML' : type} instead of JSON (status ${res.status}): ${hint}`, res.status);
  }
}

/** A tracker's refusal or failure, with the HTTP status (0: nothing was answered) that decides its error code. */
export class TrackerError extends ProphetError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, status === 401 || status === 403 ? 'unauthorized' : status === 404 ? 'not-found' : status === 422 ? 'validation' : 'http');
    this.name = 'TrackerError';
  }
}

/** A tracker's message as one short line. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** When the server answered, by its `Date` (epoch ms); our clock when it sent none. */
export function answerDate(headers: Headers): number {
  const date = Date.parse(headers.get('date') ?? '');
  return Number.isNaN(date) ? Date.now() : date;
}
