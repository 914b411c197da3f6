/**
 * One session with an RT server's REST 2 API. It logs in once (REST 1.0's
 * login form sets the session cookie RT's REST 2 also takes: a password
 * on every request would cost a bcrypt round on the server each time),
 * then every request is bounded like the rest of Prophet's HTTP: an
 * answer within the timeout, no pause longer than it, no body past its
 * limit. Every failure is one line naming the server (never the password).
 */
import { JSON_ANSWER_LIMIT, ProphetError, REASON_LIMIT, type ByteLimit } from '../../../prophet/index.js';
import { oneLine, TrackerError, TrackerHttp, type Answer } from '../shared/tracker-http.js';

export interface RtCredentials {
  user: string;
  password: string;
}

interface Call {
  method: 'GET' | 'POST' | 'PUT';
  json?: unknown;
  form?: FormData | URLSearchParams;
  limit?: ByteLimit;
}

export class RtError extends TrackerError {
  override readonly name = 'RtError';
}

export class RtClient {
  private cookie?: string;
  private readonly http: TrackerHttp;

  constructor(
    /** The server's base URL, without credentials, ending in '/'. */
    readonly server: string,
    /** Asked for when the session opens (a prompt may be involved), not before. */
    private readonly credentialsFor: () => Promise<RtCredentials>,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.http = new TrackerHttp('RT', server, (message, status) => new RtError(message, status), env);
  }

  get requests(): number {
    return this.http.requests;
  }

  /** When the server last answered, by its clock (epoch ms). */
  get answeredAt(): number {
    return this.http.answeredAt;
  }

  private credentials: RtCredentials = { user: '', password: '' };

  get user(): string {
    return this.credentials.user;
  }

  /** Logs in once: a wrong password or a server that is not RT fails here, before anything else. */
  async login(): Promise<void> {
    if (this.cookie) return;
    this.credentials = await this.credentialsFor();
    const form = new URLSearchParams({ user: this.credentials.user, pass: this.credentials.password });
    const answer = await this.send('REST/1.0/', { method: 'POST', form });
    const { res } = answer;
    const text = (await this.body(answer, REASON_LIMIT, 'REST/1.0/')).toString('utf8');
    const status = /^RT\/\S+ (\d+)/.exec(text);
    if (!status) throw this.notRt('REST/1.0/', res);
    if (status[1] === '401') {
      throw new RtError(`RT at ${this.server} refused the login of '${this.credentials.user}': wrong user name or password (give them in the URL, SD_RT_USER and SD_RT_PASSWORD, or the credentials file)`, 401);
    }
    const cookie = res.headers.getSetCookie().find((c) => /^RT_SID_/.test(c));
    if (!cookie) throw new RtError(`RT at ${this.server} did not open a session for '${this.credentials.user}'`, 401);
    this.cookie = cookie.split(';')[0];
  }

  async get(path: string, limit?: ByteLimit): Promise<unknown> {
    return this.json(path, { method: 'GET', limit });
  }

  async post(path: string, json: unknown): Promise<unknown> {
    return this.json(path, { method: 'POST', json });
  }

  async put(path: string, json: unknown): Promise<unknown> {
    return this.json(path, { method: 'PUT', json });
  }

  async postForm(path: string, form: FormData): Promise<unknown> {
    return this.json(path, { method: 'POST', form });
  }

  /** A REST 2 call: JSON in, JSON out; a non-2xx answer is one line with RT's own message. */
  private async json(path: string, call: Call): Promise<unknown> {
    const full = `REST/2.0/${path}`;
    const answer = await this.send(full, call);
    const { res } = answer;
    const body = await this.body(answer, call.limit ?? JSON_ANSWER_LIMIT, full);
    const type = res.headers.get('content-type') ?? '';
    if (!/json/i.test(type)) throw this.notRt(full, res);
    let parsed: unknown;
    try {
      parsed = body.length ? JSON.parse(body.toString('utf8')) : null;
    } catch {
      throw new RtError(`RT at ${this.server} answered ${call.method} ${full} with broken JSON`, res.status);
    }
    if (!res.ok) {
      const message = (parsed as { message?: unknown } | null)?.message;
      throw new RtError(`RT at ${this.server}: ${call.method} ${full}: ${res.status} ${typeof message === 'string' ? oneLine(message) : res.statusText}`, res.status);
    }
    return parsed;
  }

  private notRt(path: string, res: Response): ProphetError {
    return this.http.notJson(path, res, `is ${this.server} an RT 5 server with its REST 2 API?`);
  }

  /** A request, with the watchdog that goes on guarding the reading of its answer. */
  private async send(path: string, call: Call): Promise<Answer> {
    // RT refuses writes in a cookie session without a Referer of its own (its CSRF protection).
    const headers = new Headers({ accept: 'application/json', referer: this.server });
    if (this.cookie) headers.set('cookie', this.cookie);
    let body: string | FormData | URLSearchParams | undefined = call.form;
    if (call.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(call.json);
    }
    return this.http.send(path, call.method, headers, body);
  }

  private async body(answer: Answer, limit: ByteLimit, path: string): Promise<Buffer> {
    return this.http.body(answer, limit, path);
  }
}
