import { BadDataError, ProphetError } from '../model/errors.js';
import { readBody, Watchdog } from './http-body.js';
import { CONNECT_TIMEOUT_MS, describeWait, httpTimeouts, TIMEOUT_ENV, type HttpTimeouts } from './http-timeouts.js';
import { JSON_ANSWER_LIMIT, REASON_LIMIT, type ByteLimit } from './limits.js';
import { redactUrls } from '../model/redact.js';
import { redactUrl, splitCredentials } from './url-credentials.js';

export interface HttpOptions {
  /** Attempts per request, the first included. */
  attempts?: number;
  /** The wait before the first retry; it doubles on each further one. */
  backoffMs?: number;
  /** The longest wait for an answer, and for more of one (default: PROPHET_HTTP_TIMEOUT_MS, else 30 s). */
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer` when given (over any user:password in the URL). */
  token?: string;
}

const DEFAULTS = { attempts: 4, backoffMs: 250 };

/** A failed HTTP exchange that retrying will not fix. */
export class HttpError extends ProphetError {
  constructor(
    message: string,
    readonly status: number,
    /** The server's own words (its JSON `error`, else the status line), for callers that say more than the request. */
    readonly reason: string,
  ) {
    super(message, 'http');
    this.name = 'HttpError';
  }
}

/** A failure another attempt may not meet: the network or the server may recover. */
class Transient extends Error {}

function transient(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server's words on one short line: a hostile server's many lines or megabytes stay out of the message. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** A network failure in words, from the codes Node's fetch (undici) gives its causes. */
function networkProblem(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection closed before the whole answer arrived';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'the answer was not as long as its Content-Length said';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
  }
  return redactUrls(cause?.message ?? (err as Error).message);
}

interface Exchange {
  method: 'GET' | 'POST';
  /** Sent, but left out of messages: a hint for the server, not what the user asked for. */
  query?: string;
  body?: string;
  contentType?: string;
  limit: ByteLimit;
}

/**
 * One HTTP client for a base URL, over the platform's fetch. It trusts the
 * server with nothing: every answer is bounded in size and in silence
 * (connect, first byte, idle); failures the network may recover from (a
 * connection cut mid-answer, 5xx) are retried with exponential backoff;
 * everything else is one line naming the URL, credentials masked. Counts
 * requests (for tests and benches).
 */
export class HttpClient {
  requests = 0;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeouts: HttpTimeouts;
  private readonly token?: string;

  constructor(
    readonly base: URL,
    opts: HttpOptions = {},
  ) {
    this.attempts = opts.attempts ?? DEFAULTS.attempts;
    this.backoffMs = opts.backoffMs ?? DEFAULTS.backoffMs;
    this.timeouts = opts.timeoutMs === undefined ? httpTimeouts() : { answerMs: opts.timeoutMs, idleMs: opts.timeoutMs };
    this.token = opts.token;
  }

  url(path: string): URL {
    return new URL(path, this.base);
  }

  /** A path's URL as messages show it: credentials masked. */
  shown(path: string): string {
    return redactUrl(this.url(path));
  }

  /** The whole answer to a GET, refused past `limit`; a status other than 2xx throws. */
  get(path: string, limit: ByteLimit, query?: string): Promise<Buffer> {
    return this.exchange(path, { method: 'GET', limit, query });
  }

  async getJson(path: string, limit = JSON_ANSWER_LIMIT): Promise<unknown> {
    return parseAnswer(await this.get(path, limit), `GET ${this.shown(path)}`);
  }

  async postJson(path: string, body: unknown, limit = JSON_ANSWER_LIMIT): Promise<unknown> {
    const answer = await this.exchange(path, { method: 'POST', body: JSON.stringify(body), contentType: 'application/json', limit });
    return parseAnswer(answer, `POST ${this.shown(path)}`);
  }

  private async exchange(path: string, exchange: Exchange): Promise<Buffer> {
    const url = this.url(path);
    // Without a query: a push's ticket request carries two uuids, a pack's its range, that tell the user nothing.
    const bare = new URL(url);
    bare.search = '';
    const shown = redactUrl(bare);
    if (exchange.query) url.search = exchange.query;
    const what = `${exchange.method} ${shown}`;
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await sleep(this.backoffMs * 2 ** (attempt - 2));
      this.requests++;
      try {
        return await this.attempt(url, exchange, shown);
      } catch (err) {
        if (!(err instanceof Transient)) throw err;
        lastProblem = err.message;
      }
    }
    throw new ProphetError(`${what} failed after ${this.attempts} attempts: ${lastProblem}`, 'http');
  }

  /** One request and its whole answer, each wait on the server bounded. */
  private async attempt(url: URL, exchange: Exchange, shown: string): Promise<Buffer> {
    const what = `${exchange.method} ${shown}`;
    const { answerMs, idleMs } = this.timeouts;
    const watchdog = new Watchdog();
    const idle = () => watchdog.arm(idleMs, `the answer stalled: nothing more came for ${describeWait(idleMs)}`);
    let done = false;
    try {
      watchdog.arm(answerMs, `no answer within ${describeWait(answerMs)}`);
      const [target, init] = this.request(url, exchange, watchdog.signal);
      const res = await fetch(target, init).catch((err: unknown) => {
        throw failure(err, watchdog, what);
      });
      if (!res.ok) {
        const why = await reason(res, what, idle);
        if (transient(res.status)) throw new Transient(why);
        throw new HttpError(`${what}: ${why}`, res.status, why);
      }
      const body = await readBody(res, exchange.limit, shown, idle).catch((err: unknown) => {
        throw err instanceof ProphetError ? err : failure(err, watchdog, what);
      });
      done = true;
      return body;
    } finally {
      watchdog.stop(!done);
    }
  }

  /** What fetch is given: the URL without credentials, which travel as a header. */
  private request(url: URL, exchange: Exchange, signal: AbortSignal): [URL, RequestInit] {
    const { url: bare, authorization } = splitCredentials(url);
    const headers = new Headers();
    if (exchange.contentType) headers.set('content-type', exchange.contentType);
    const credentials = this.token ? `Bearer ${this.token}` : authorization;
    if (credentials) headers.set('authorization', credentials);
    return [bare, { method: exchange.method, headers, body: exchange.body, signal }];
  }
}

/**
 * What a failed fetch or read means: a timeout (ours, or undici's on
 * connecting) is final, since waiting again as long helps nobody; a cut
 * connection is worth another attempt.
 */
function failure(err: unknown, watchdog: Watchdog, what: string): Error {
  const hint = `${TIMEOUT_ENV} sets how long to wait`;
  if (watchdog.expired) return new ProphetError(`${what}: ${watchdog.expired} (${hint})`, 'http');
  if ((err as { cause?: { code?: string } }).cause?.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ProphetError(`${what}: could not connect within ${describeWait(CONNECT_TIMEOUT_MS)}`, 'http');
  }
  return new Transient(networkProblem(err));
}

/** The server's JSON `{error}` when it sent one, else the status line. */
async function reason(res: Response, what: string, idle: () => void): Promise<string> {
  const status = `${res.status} ${res.statusText}`.trim();
  const text = await readBody(res, REASON_LIMIT, what, idle).then(
    (body) => body.toString('utf8'),
    () => '',
  );
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return oneLine(redactUrls(parsed.error));
  } catch {
    // not JSON: fall back to the status
  }
  return oneLine(status);
}

function parseAnswer(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadDataError(`${what}: the answer is not JSON`);
  }
}

/** `prophet:http://x` and `http://x` name the same replica; the base always ends in '/'. */
export function httpBase(url: string): URL {
  const bare = url.replace(/^prophet:/i, '');
  let base: URL;
  try {
    base = new URL(bare);
  } catch {
    throw new ProphetError(`'${redactUrls(url)}' is not a valid URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ProphetError(`'${redactUrls(url)}' is not an http(s) URL`);
  base.search = '';
  base.hash = '';
  // A URL naming the manifest itself means the folder holding it.
  base.pathname = base.pathname.replace(/\/replica\.json$/, '/');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

export function isHttpUrl(url: string): boolean {
  return /^(prophet:)?https?:\/\//i.test(url);
}
