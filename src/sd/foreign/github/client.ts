/**
 * GitHub's REST v3 API for one repository's issues: a token on every
 * request, JSON answers, pages followed by their `Link` headers, a
 * validator (`ETag`) sent back so an unchanged list costs a 304, and rate
 * limits sat out, the wait shown on stderr, up to a maximum beyond which
 * the sync fails in one line. Every failure is one line naming the API,
 * never the token.
 */
import { describeWait, JSON_ANSWER_LIMIT } from '../../../prophet/index.js';
import { answerDate, oneLine, TrackerError, TrackerHttp } from '../shared/tracker-http.js';
import { exhaustedWait, maxWaitMs, refusedWait, type RateWait } from './rate-limit.js';
import type { GithubUrl } from './url.js';

export class GithubError extends TrackerError {
  override readonly name = 'GithubError';
}

export interface Answer<T> {
  /** 304: not modified since the validator sent; no body. */
  status: number;
  body: T;
  headers: Headers;
}

interface Call {
  json?: unknown;
  etag?: string;
}

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  /** Where waits are announced: stderr. */
  warn?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Refusals sat out in a row before giving up: a server that keeps refusing is not waiting out a limit. */
const MAX_WAITS = 5;

export class GithubClient {
  private token?: string;
  /** A primary limit the last answer announced as used up: the next request waits for its reset. */
  private exhausted?: RateWait;
  private readonly http: TrackerHttp;
  private readonly maxWait: number;
  private readonly warn: (line: string) => void;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly gh: GithubUrl,
    /** Asked for on the first request (a prompt may be involved), not before. */
    private readonly tokenFor: () => Promise<string>,
    opts: ClientOptions = {},
  ) {
    const env = opts.env ?? process.env;
    this.http = new TrackerHttp('GitHub', gh.api, (message, status) => new GithubError(message, status), env);
    this.maxWait = maxWaitMs(env);
    this.warn = opts.warn ?? ((line) => process.stderr.write(`${line}\n`));
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get requests(): number {
    return this.http.requests;
  }

  async get<T>(path: string, etag?: string): Promise<Answer<T>> {
    return this.call<T>('GET', path, { etag });
  }

  async send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, json?: unknown): Promise<T> {
    return (await this.call<T>(method, path, { json })).body;
  }

  /**
   * Every page of a list, following `Link: <...>; rel="next"`. With the
   * first page's validator from an earlier read: `notModified` when GitHub
   * answers 304 (one request, which GitHub does not count against the limit).
   */
  async list<T>(path: string, etag?: string): Promise<{ items: T[]; etag?: string; notModified: boolean; answeredAt: number }> {
    const first = await this.get<T[]>(path, etag);
    if (first.status === 304) return { items: [], etag, notModified: true, answeredAt: answerDate(first.headers) };
    const items = [...this.array(first.body, path)];
    let next = nextPage(first.headers.get('link'));
    while (next) {
      const page = await this.get<T[]>(next);
      items.push(...this.array(page.body, next));
      next = nextPage(page.headers.get('link'));
    }
    return { items, etag: first.headers.get('etag') ?? undefined, notModified: false, answeredAt: answerDate(first.headers) };
  }

  private array<T>(body: T[], path: string): T[] {
    if (!Array.isArray(body)) throw new GithubError(`GitHub at ${this.gh.api} answered GET ${path} with something that is not a list`, 0);
    return body;
  }

  private url(path: string): URL {
    const url = new URL(/^https?:/i.test(path) ? path : `${this.gh.api}${path}`);
    // The token goes only where the API is: a page link elsewhere is not followed.
    if (url.origin !== new URL(this.gh.api).origin) throw new GithubError(`GitHub at ${this.gh.api} sent a page link to another server (${url.origin}); not followed`, 0);
    return url;
  }

  private async call<T>(method: string, path: string, call: Call): Promise<Answer<T>> {
    this.token ??= await this.tokenFor();
    const url = this.url(path);
    const what = `${method} ${url.pathname}`;
    for (let waits = 0; ; waits++) {
      if (this.exhausted) await this.pause(this.exhausted, waits);
      this.exhausted = undefined;
      const headers = new Headers({ accept: 'application/vnd.github+json', authorization: `Bearer ${this.token}`, 'x-github-api-version': '2022-11-28', 'user-agent': 'sd-github-connector' });
      if (call.etag) headers.set('if-none-match', call.etag);
      let body: string | undefined;
      if (call.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(call.json);
      }
      const answer = await this.http.send(url.href, method, headers, body);
      const { res } = answer;
      const bytes = await this.http.body(answer, JSON_ANSWER_LIMIT, url.pathname);
      this.exhausted = exhaustedWait(res.headers, Date.now());
      if (res.status === 304) return { status: 304, body: undefined as T, headers: res.headers };
      const type = res.headers.get('content-type') ?? '';
      if (bytes.length && !/json/i.test(type)) {
        throw new GithubError(`${url.origin}${url.pathname} answered ${/html/i.test(type) ? 'HTML' : type || 'something'} instead of JSON (status ${res.status}): is ${this.gh.api} GitHub's REST API? (GITHUB_API_URL; GitHub Enterprise's is https://HOST/api/v3)`, res.status);
      }
      let parsed: unknown = null;
      try {
        parsed = bytes.length ? JSON.parse(bytes.toString('utf8')) : null;
      } catch {
        throw new GithubError(`GitHub at ${this.gh.api} answered ${what} with broken JSON (status ${res.status})`, res.status);
      }
      if (res.ok) return { status: res.status, body: parsed as T, headers: res.headers };
      const message = typeof (parsed as { message?: unknown } | null)?.message === 'string' ? oneLine((parsed as { message: string }).message) : res.statusText;
      const wait = refusedWait(res.status, res.headers, message, Date.now());
      if (wait) {
        this.exhausted = wait;
        continue;
      }
      if (res.status === 401) throw new GithubError(`GitHub at ${this.gh.api} refused the token (401 ${message}): give a valid token in GITHUB_TOKEN or the credentials file`, 401);
      throw new GithubError(`GitHub at ${this.gh.api}: ${what}: ${res.status} ${message}`, res.status);
    }
  }

  /** Sits out a rate limit, saying so; one too long (or a server that keeps refusing) fails in one line. */
  private async pause(wait: RateWait, waits: number): Promise<void> {
    const ms = Math.max(wait.until - Date.now(), 0);
    const at = new Date(wait.until).toISOString().slice(11, 19);
    if (ms > this.maxWait || waits >= MAX_WAITS) {
      const why = waits >= MAX_WAITS ? `still refused after ${MAX_WAITS} waits` : `it allows requests again at ${at} UTC, in ${describeWait(ms)}: longer than SD waits (${describeWait(this.maxWait)}; SD_GITHUB_MAX_WAIT sets it in seconds)`;
      throw new GithubError(`GitHub's ${wait.kind} rate limit is exhausted at ${this.gh.api}: ${why}; try again later`, 429);
    }
    this.warn(`sd: GitHub's ${wait.kind} rate limit at ${this.gh.api} reached: waiting ${describeWait(ms)} (until ${at} UTC), then going on`);
    await this.sleep(ms);
  }
}

/** The `rel="next"` target of a Link header. */
export function nextPage(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part);
    if (m && m[2]!.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}
