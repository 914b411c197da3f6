/**
 * A stateful fake of GitHub's REST v3 issue endpoints on 127.0.0.1, for
 * the connector's tests and bench: tokens, ETags with `If-None-Match`
 * (a 304 costs no rate limit, as on GitHub), `Link` pagination, `since`,
 * primary rate-limit headers and a switch for a secondary rate limit.
 * Every answer is checked against GitHub's OpenAPI description; what does
 * not match is collected in `violations` (the tests expect none).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../../http/static-server.js';
import { checkAnswer, checkError } from './openapi-check.js';
import type { Endpoint } from './openapi-endpoints.js';
import { FakeGitHub, type IssueEdit, type Json } from './fake-state.js';

export interface SeenRequest {
  method: string;
  path: string;
  status: number;
}

interface Route {
  method: string;
  pattern: RegExp;
  endpoint: Endpoint;
  handle(m: RegExpExecArray, ctx: Call): Answer;
}

interface Call {
  login: string;
  query: URLSearchParams;
  body: Json;
  repo: string;
}

interface Answer {
  status: number;
  body?: unknown;
  /** A list: paged here, by `page` and `per_page`. */
  list?: unknown[];
}

const DOCS = 'https://docs.github.com/rest';

export class FakeGitHubServer {
  readonly state = new FakeGitHub();
  readonly requests: SeenRequest[] = [];
  readonly violations: string[] = [];
  /** token → login */
  readonly tokens = new Map<string, string>();
  /** Requests a token may make per window (GitHub: 5,000 an hour). */
  rateLimit = { limit: 5000, windowSeconds: 3600 };
  private readonly windows = new Map<string, { remaining: number; reset: number }>();
  private secondary: { count: number; retryAfter: number } = { count: 0, retryAfter: 0 };
  private failing?: { match: (r: SeenRequest) => boolean; status: number };
  /** Called as each request arrives, before it is answered (to kill a client mid-pull, say). */
  onRequest?: (seen: SeenRequest) => void;
  /** While true, every connection is dropped unanswered. */
  down = false;
  url = '';
  private closeServer?: () => Promise<void>;

  addToken(token: string, login: string): void {
    this.tokens.set(token, login);
  }

  /** The next `count` requests are refused as over GitHub's secondary rate limit, with `retry-after: retryAfter`. */
  secondaryLimit(count: number, retryAfter: number): void {
    this.secondary = { count, retryAfter };
  }

  /** Uses up the token's requests of this window: the next one is refused until the window resets in `seconds`. */
  exhaust(token: string, seconds: number): void {
    this.windows.set(token, { remaining: 0, reset: Math.floor(Date.now() / 1000) + seconds });
  }

  /** The next request that matches is answered `status` (a server error) without being carried out. */
  failOnce(match: (r: SeenRequest) => boolean, status = 502): void {
    this.failing = { match, status };
  }

  reset(): void {
    this.requests.splice(0);
  }

  /** Requests that reached the fake (after the rate limit counted them). */
  count(filter: (r: SeenRequest) => boolean = () => true): number {
    return this.requests.filter(filter).length;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.serve(req, res));
    const { url, close } = await listen(server);
    this.url = url.replace(/\/$/, '');
    this.state.base = this.url;
    this.closeServer = close;
    return this;
  }

  async close(): Promise<void> {
    await this.closeServer?.();
  }

  private readonly routes: Route[] = [
    { method: 'GET', pattern: /^\/user$/, endpoint: 'GET /user', handle: (_m, c) => ({ status: 200, body: this.state.profile(c.login) }) },
    { method: 'GET', pattern: /^\/repos\/[^/]+\/[^/]+\/issues$/, endpoint: 'GET /repos/{owner}/{repo}/issues', handle: (_m, c) => ({ status: 200, list: this.listIssues(c) }) },
    {
      method: 'POST',
      pattern: /^\/repos\/[^/]+\/[^/]+\/issues$/,
      endpoint: 'POST /repos/{owner}/{repo}/issues',
      handle: (_m, c) => {
        if (typeof c.body.title !== 'string' || !c.body.title) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }], documentation_url: DOCS } };
        return { status: 201, body: this.state.createIssue(c.repo, c.login, { ...this.edit(c.body), title: c.body.title }) };
      },
    },
    { method: 'GET', pattern: /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/, endpoint: 'GET /repos/{owner}/{repo}/issues/{issue_number}', handle: (m, c) => this.found(this.state.issue(c.repo, Number(m[1]))) },
    {
      method: 'PATCH',
      pattern: /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/,
      endpoint: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
      handle: (m, c) => (this.state.issue(c.repo, Number(m[1])) ? { status: 200, body: this.state.editIssue(c.repo, Number(m[1]), c.login, this.edit(c.body)) } : this.notFound()),
    },
    {
      method: 'GET',
      pattern: /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/timeline$/,
      endpoint: 'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline',
      handle: (m, c) => (this.state.issue(c.repo, Number(m[1])) ? { status: 200, list: this.state.timeline(c.repo, Number(m[1])) } : this.notFound()),
    },
    {
      method: 'POST',
      pattern: /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/,
      endpoint: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      handle: (m, c) => {
        if (!this.state.issue(c.repo, Number(m[1]))) return this.notFound();
        const { id } = this.state.addComment(c.repo, Number(m[1]), c.login, String(c.body.body ?? ''));
        return { status: 201, body: this.state.comment(c.repo, id as number) };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/,
      endpoint: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      handle: (m, c) => {
        if (!this.state.comment(c.repo, Number(m[1]))) return this.notFound();
        this.state.editComment(c.repo, Number(m[1]), String(c.body.body ?? ''));
        return { status: 200, body: this.state.comment(c.repo, Number(m[1])) };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/,
      endpoint: 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}',
      handle: (m, c) => (this.state.deleteComment(c.repo, Number(m[1])) ? { status: 204 } : this.notFound()),
    },
    { method: 'GET', pattern: /^\/repos\/[^/]+\/[^/]+\/milestones$/, endpoint: 'GET /repos/{owner}/{repo}/milestones', handle: (_m, c) => ({ status: 200, list: this.state.repo(c.repo).milestones }) },
  ];

  private found(body: unknown): Answer {
    return body ? { status: 200, body } : this.notFound();
  }

  private notFound(): Answer {
    return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
  }

  /** A create or edit's fields, as the REST API takes them. */
  private edit(body: Json): IssueEdit {
    const edit: IssueEdit = {};
    if (typeof body.title === 'string') edit.title = body.title;
    if (body.body !== undefined) edit.body = body.body as string | null;
    if (body.state === 'open' || body.state === 'closed') edit.state = body.state;
    if (typeof body.state_reason === 'string') edit.state_reason = body.state_reason;
    if (Array.isArray(body.labels)) edit.labels = body.labels.map(String);
    if (Array.isArray(body.assignees)) edit.assignees = body.assignees.map(String);
    if (body.milestone !== undefined) edit.milestone = body.milestone === null ? null : Number(body.milestone);
    return edit;
  }

  private listIssues(c: Call): unknown[] {
    const state = c.query.get('state') ?? 'open';
    const since = c.query.get('since');
    const sort = c.query.get('sort') ?? 'created';
    const asc = c.query.get('direction') === 'asc';
    const key = sort === 'updated' ? 'updated_at' : 'created_at';
    return this.state
      .repo(c.repo)
      .issues.filter((i) => state === 'all' || i.state === state)
      .filter((i) => !since || i.updated_at >= `${since.slice(0, 19)}Z`)
      .sort((a, b) => (asc ? 1 : -1) * (String(a[key]).localeCompare(String(b[key])) || a.number - b.number));
  }

  private rateHeaders(token: string): { headers: Record<string, string>; exhausted: boolean } {
    const now = Math.floor(Date.now() / 1000);
    let window = this.windows.get(token);
    if (!window || window.reset <= now) this.windows.set(token, (window = { remaining: this.rateLimit.limit, reset: now + this.rateLimit.windowSeconds }));
    const exhausted = window.remaining <= 0;
    const headers = {
      'x-ratelimit-limit': String(this.rateLimit.limit),
      'x-ratelimit-remaining': String(Math.max(window.remaining, 0)),
      'x-ratelimit-used': String(this.rateLimit.limit - Math.max(window.remaining, 0)),
      'x-ratelimit-reset': String(window.reset),
      'x-ratelimit-resource': 'core',
    };
    return { headers, exhausted };
  }

  private spend(token: string): void {
    const window = this.windows.get(token);
    if (window) window.remaining--;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const seen: SeenRequest = { method, path: `${url.pathname}${url.search}`, status: 0 };
    this.requests.push(seen);
    this.onRequest?.(seen);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      seen.status = status;
      const text = body === undefined ? '' : JSON.stringify(body);
      // The answer's Date is the fake's clock, as GitHub's is its own: the connector reads it to know which seconds may still change.
      const date = new Date(this.state.now()).toUTCString();
      res.writeHead(status, { date, ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers }).end(text);
    };
    const error = (status: number, message: string, headers: Record<string, string> = {}) => {
      const body = { message, documentation_url: DOCS, status: String(status) };
      this.violations.push(...checkError(body));
      send(status, body, headers);
    };

    const auth = /^(?:token|Bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    const token = auth?.[1] ?? '';
    const login = this.tokens.get(token);
    if (!login) return error(401, 'Bad credentials');
    const rate = this.rateHeaders(token);
    if (this.secondary.count > 0) {
      this.secondary.count--;
      return error(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', { ...rate.headers, 'retry-after': String(this.secondary.retryAfter) });
    }
    if (this.failing?.match(seen)) {
      const { status } = this.failing;
      this.failing = undefined;
      return error(status, 'Server Error');
    }
    if (rate.exhausted) return error(403, `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.`, rate.headers);

    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)/.exec(url.pathname);
    const repo = repoMatch ? `${repoMatch[1]}/${repoMatch[2]}` : '';
    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route || (repo && !this.state.repos.has(repo.toLowerCase()))) {
      this.spend(token);
      return error(404, 'Not Found', this.rateHeaders(token).headers);
    }
    let body: Json = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {};
    } catch {
      return error(400, 'Problems parsing JSON');
    }
    const answer = route.handle(route.pattern.exec(url.pathname)!, { login, query: url.searchParams, body, repo });
    const headers: Record<string, string> = {};
    let out = answer.body;
    if (answer.list) {
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, 100);
      const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
      const last = Math.max(Math.ceil(answer.list.length / perPage), 1);
      out = answer.list.slice((page - 1) * perPage, page * perPage);
      const link = (n: number, rel: string) => {
        const u = new URL(url);
        u.searchParams.set('page', String(n));
        u.searchParams.set('per_page', String(perPage));
        return `<${u.href}>; rel="${rel}"`;
      };
      const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
      if (links.length) headers.link = links.join(', ');
    }
    if (answer.status < 300 || answer.status >= 400) {
      const problems = answer.status < 300 ? checkAnswer(route.endpoint, answer.status, out) : checkError(out);
      this.violations.push(...problems.slice(0, 20));
    }
    if (method === 'GET' && answer.status === 200) {
      const etag = `W/"${createHash('sha1').update(`${url.pathname}${url.search}|${JSON.stringify(out)}`).digest('hex')}"`;
      headers.etag = etag;
      // A conditional request answered 304 costs nothing of the rate limit (GitHub's rule for authorized requests).
      if (req.headers['if-none-match'] === etag) return send(304, undefined, { ...this.rateHeaders(token).headers, etag });
    }
    this.spend(token);
    send(answer.status, out, { ...this.rateHeaders(token).headers, ...headers });
  }
}

export async function startFakeGitHub(): Promise<FakeGitHubServer> {
  return new FakeGitHubServer().start();
}
