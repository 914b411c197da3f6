import { ProphetError } from '../model/errors.js';
import { percentDecoded } from '../model/percent.js';
import { redactUrls } from '../model/redact.js';

export interface HttpOptions {
  /** Attempts per request, the first included. */
  attempts?: number;
  /** The wait before the first retry; it doubles on each further one. */
  backoffMs?: number;
  /** Per-attempt time limit. */
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer` when given. */
  token?: string;
}

const DEFAULTS = { attempts: 4, backoffMs: 250, timeoutMs: 60_000 };

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

function transient(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server's JSON `{error}` when it sent one, else the status line. */
async function reason(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall back to the status
  }
  return `${res.status} ${res.statusText}`.trim();
}

/**
 * One HTTP client for a base URL, over the platform's fetch: retries
 * network failures and 5xx with exponential backoff, turns every other
 * failure into one clear line, and counts requests (for tests and benches).
 */
export class HttpClient {
  requests = 0;
  private readonly opts: Required<Omit<HttpOptions, 'token'>> & { token?: string };
  /** The base URL, without the user and password it may have been given with. */
  readonly base: URL;
  /** `user:password@` of the URL given, sent as HTTP Basic auth instead (fetch refuses URLs holding them). */
  private readonly basicAuth?: string;

  constructor(base: URL, opts: HttpOptions = {}) {
    this.opts = { ...DEFAULTS, ...opts };
    this.base = new URL(base);
    if (this.base.username || this.base.password) {
      const user = `${percentDecoded(this.base.username)}:${percentDecoded(this.base.password)}`;
      this.basicAuth = `Basic ${Buffer.from(user, 'utf8').toString('base64')}`;
      this.base.username = '';
      this.base.password = '';
    }
  }

  url(path: string): URL {
    return new URL(path, this.base);
  }

  /** Sends a request; the response is ok (2xx) or this throws. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = this.url(path);
    const headers = new Headers(init.headers);
    if (this.opts.token) headers.set('authorization', `Bearer ${this.opts.token}`);
    else if (this.basicAuth) headers.set('authorization', this.basicAuth);
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.opts.attempts; attempt++) {
      if (attempt > 1) await sleep(this.opts.backoffMs * 2 ** (attempt - 2));
      this.requests++;
      let res: Response;
      try {
        res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        lastProblem = cause?.code ?? cause?.message ?? (err as Error).message;
        continue;
      }
      if (res.ok) return res;
      if (!transient(res.status)) {
        const why = await reason(res);
        throw new HttpError(`${init.method ?? 'GET'} ${url.href}: ${why}`, res.status, why);
      }
      lastProblem = await reason(res);
    }
    throw new ProphetError(`${init.method ?? 'GET'} ${url.href} failed after ${this.opts.attempts} attempts: ${lastProblem}`, 'http');
  }

  async bytes(path: string): Promise<Uint8Array> {
    const res = await this.request(path);
    return new Uint8Array(await res.arrayBuffer());
  }

  async text(path: string): Promise<string> {
    return (await this.request(path)).text();
  }

  async postJson(path: string, body: unknown): Promise<unknown> {
    const res = await this.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.json();
  }

  async getJson(path: string): Promise<unknown> {
    return (await this.request(path)).json();
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
