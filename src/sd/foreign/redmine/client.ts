/**
 * A Redmine server's REST API (JSON), with an API key in the
 * `X-Redmine-API-Key` header of every request (Redmine keeps no session for
 * API clients, and a key costs it no hashing). Failures are one line naming
 * the server, never the key.
 */
import { JSON_ANSWER_LIMIT, MIB, ProphetError, type ByteLimit } from '../../../prophet/index.js';
import { oneLine, TrackerError, TrackerHttp } from '../shared/tracker-http.js';

/** A file read from Redmine: its own limits are far below this. */
const FILE_LIMIT: ByteLimit = { bytes: 256 * MIB, what: 'a Redmine attachment' };

export class RedmineError extends TrackerError {
  override readonly name = 'RedmineError';
}

export class RedmineClient {
  private readonly http: TrackerHttp;
  private key?: string;

  constructor(
    /** The server's base URL, without credentials, ending in '/'. */
    readonly server: string,
    /** Asked for on the first request (a prompt may be involved), not before. */
    private readonly keyFor: () => Promise<string>,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.http = new TrackerHttp('Redmine', server, (message, status) => new RedmineError(message, status), env);
  }

  get requests(): number {
    return this.http.requests;
  }

  /** When the server last answered, by its clock (epoch ms). */
  get answeredAt(): number {
    return this.http.answeredAt;
  }

  async get(path: string): Promise<unknown> {
    return this.json('GET', path);
  }

  async post(path: string, json: unknown): Promise<unknown> {
    return this.json('POST', path, JSON.stringify(json), 'application/json');
  }

  async put(path: string, json: unknown): Promise<unknown> {
    return this.json('PUT', path, JSON.stringify(json), 'application/json');
  }

  /** Sends a file's bytes to `uploads.json`; the token it answers attaches them to an issue. */
  async upload(filename: string, bytes: Buffer): Promise<string> {
    const answer = (await this.json('POST', `uploads.json?filename=${encodeURIComponent(filename)}`, bytes, 'application/octet-stream')) as { upload?: { token?: string } };
    const token = answer?.upload?.token;
    if (!token) throw new RedmineError(`Redmine at ${this.server} took the upload of '${filename}' but gave no token`, 500);
    return token;
  }

  /** An attachment's exact bytes. */
  async download(id: number, filename: string): Promise<Buffer> {
    const path = `attachments/download/${id}/${encodeURIComponent(filename)}`;
    const answer = await this.http.send(path, 'GET', await this.headers());
    const body = await this.http.body(answer, FILE_LIMIT, path);
    if (!answer.res.ok) throw this.failure('GET', path, answer.res, body);
    return body;
  }

  private async headers(): Promise<Headers> {
    this.key ??= await this.keyFor();
    return new Headers({ accept: 'application/json', 'x-redmine-api-key': this.key });
  }

  private async json(method: string, path: string, body?: string | Buffer, type?: string): Promise<unknown> {
    const headers = await this.headers();
    if (type) headers.set('content-type', type);
    const answer = await this.http.send(path, method, headers, body);
    const { res } = answer;
    const data = await this.http.body(answer, JSON_ANSWER_LIMIT, path);
    if (!res.ok) throw this.failure(method, path, res, data);
    // A PUT answers 204 with nothing.
    if (!data.length) return null;
    if (!/json/i.test(res.headers.get('content-type') ?? '')) throw this.http.notJson(path, res, `is ${this.server} a Redmine server with its REST API enabled?`);
    try {
      return JSON.parse(data.toString('utf8'));
    } catch {
      throw new RedmineError(`Redmine at ${this.server} answered ${method} ${path} with broken JSON`, res.status);
    }
  }

  private failure(method: string, path: string, res: Response, body: Buffer): ProphetError {
    if (res.status === 401) {
      return new RedmineError(`Redmine at ${this.server} refused the API key (401): it is wrong or revoked; give the key shown under "My account" as REDMINE_API_KEY, at the prompt, or in the credentials file`, 401);
    }
    if (res.status === 403) {
      return new RedmineError(`Redmine at ${this.server}: ${method} ${path}: forbidden (403): the key's user may not do this, or the server's REST API is off (Administration > Settings > API)`, 403);
    }
    if (res.status !== 404 && res.status !== 422 && !/json/i.test(res.headers.get('content-type') ?? '')) {
      return this.http.notJson(path, res, `is ${this.server} a Redmine server with its REST API enabled?`);
    }
    let why = res.statusText;
    try {
      const errors = (JSON.parse(body.toString('utf8')) as { errors?: unknown }).errors;
      if (Array.isArray(errors) && errors.length) why = errors.map(String).join('; ');
    } catch {
      // No JSON reason: the status says it.
    }
    return new RedmineError(`Redmine at ${this.server}: ${method} ${path.replace(/\?.*$/, '')}: ${res.status} ${oneLine(why)}`, res.status);
  }
}
