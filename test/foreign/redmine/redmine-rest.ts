/**
 * Redmine's REST API for the tests' own use: making projects, issues,
 * journals and files as a given user (the admin's key with
 * `X-Redmine-Switch-User`), and reading back what SD pushed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_KEY } from './redmine-server.js';

export interface Issue {
  id: number;
  subject: string;
  description?: string;
  status: { id: number; name: string };
  priority: { name: string };
  tracker: { name: string };
  author: { id: number; name: string };
  assigned_to?: { id: number; name: string };
  category?: { name: string };
  fixed_version?: { name: string };
  start_date?: string | null;
  due_date?: string | null;
  custom_fields?: Array<{ id: number; name: string; value: string | string[] | null }>;
  journals?: Array<{ id: number; user: { id: number; name: string }; notes: string; details: Array<{ property: string; name: string; old_value: string | null; new_value: string | null }> }>;
  attachments?: Array<{ id: number; filename: string; filesize: number; content_type: string }>;
}

export interface FileToAttach {
  name: string;
  type: string;
  bytes: Buffer;
}

/**
 * The end of Redmine's log, for an error it answered: its 500 says nothing
 * of the cause, and the server's files are gone once the run ends.
 */
function logTail(serverDir: string | undefined): string {
  const log = serverDir && join(serverDir, 'log', 'production.log');
  if (!log || !existsSync(log)) return '';
  return `\nthe end of ${log}:\n${readFileSync(log, 'utf8').split('\n').slice(-40).join('\n')}`;
}

export class RedmineRest {
  constructor(
    readonly url: string,
    private readonly key = ADMIN_KEY,
    /** The server's files (RedmineServer.dir), when this machine has them. */
    private readonly serverDir?: string,
  ) {}

  private async call(method: string, path: string, opts: { json?: unknown; as?: string; bytes?: Buffer } = {}): Promise<unknown> {
    const headers: Record<string, string> = { 'x-redmine-api-key': this.key };
    if (opts.as) headers['x-redmine-switch-user'] = opts.as;
    let body: string | Buffer | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.bytes) {
      headers['content-type'] = 'application/octet-stream';
      body = opts.bytes;
    }
    const res = await fetch(`${this.url}/${path}`, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`Redmine ${method} ${path}: ${res.status} ${text.slice(0, 300)}${res.status >= 500 ? logTail(this.serverDir) : ''}`);
    return text ? JSON.parse(text) : null;
  }

  /** A public project with every tracker, the users as members, versions and categories. */
  async createProject(identifier: string, opts: { versions?: string[]; categories?: string[]; members?: string[] } = {}): Promise<void> {
    await this.call('POST', 'projects.json', { json: { project: { name: identifier, identifier, is_public: true, tracker_ids: [1, 2, 3] } } });
    for (const login of opts.members ?? ['alice', 'bob']) await this.addMember(identifier, login);
    for (const name of opts.versions ?? []) await this.call('POST', `projects/${identifier}/versions.json`, { json: { version: { name } } });
    for (const name of opts.categories ?? []) await this.call('POST', `projects/${identifier}/issue_categories.json`, { json: { issue_category: { name } } });
  }

  /** Makes a user (by login) a manager of the project. */
  async addMember(project: string, login: string): Promise<void> {
    const users = ((await this.call('GET', 'users.json')) as { users: Array<{ id: number; login: string }> }).users;
    const user = users.find((u) => u.login === login)!;
    await this.call('POST', `projects/${project}/memberships.json`, { json: { membership: { user_id: user.id, role_ids: [3] } } });
  }

  async ids(kind: 'issue_statuses' | 'trackers' | 'versions' | 'issue_categories' | 'users' | 'custom_fields' | 'issue_priorities', project?: string): Promise<Record<string, number>> {
    const path = kind === 'versions' || kind === 'issue_categories' ? `projects/${project}/${kind}.json` : kind === 'issue_priorities' ? 'enumerations/issue_priorities.json' : `${kind}.json`;
    const list = ((await this.call('GET', path)) as Record<string, Array<{ id: number; name?: string; login?: string }>>)[kind]!;
    return Object.fromEntries(list.map((x) => [x.login ?? x.name!, x.id]));
  }

  async upload(file: FileToAttach, as?: string): Promise<{ token: string; filename: string; content_type: string }> {
    const answer = (await this.call('POST', `uploads.json?filename=${encodeURIComponent(file.name)}`, { bytes: file.bytes, as })) as { upload: { token: string } };
    return { token: answer.upload.token, filename: file.name, content_type: file.type };
  }

  /** Creates an issue as `as` (a login); `fields` are Redmine's (`status_id`, `custom_fields`...). */
  async createIssue(project: string, fields: Record<string, unknown>, opts: { as?: string; files?: FileToAttach[] } = {}): Promise<number> {
    const uploads = [];
    for (const f of opts.files ?? []) uploads.push(await this.upload(f, opts.as));
    const issue = { project_id: project, tracker_id: 1, ...fields, ...(uploads.length ? { uploads } : {}) };
    return ((await this.call('POST', 'issues.json', { json: { issue }, as: opts.as })) as { issue: { id: number } }).issue.id;
  }

  /** Updates an issue as `as`: a journal with the notes, the changes and the files. */
  async update(id: number, fields: Record<string, unknown>, opts: { as?: string; files?: FileToAttach[] } = {}): Promise<void> {
    const uploads = [];
    for (const f of opts.files ?? []) uploads.push(await this.upload(f, opts.as));
    await this.call('PUT', `issues/${id}.json`, { json: { issue: { ...fields, ...(uploads.length ? { uploads } : {}) } }, as: opts.as });
  }

  async issue(id: number): Promise<Issue> {
    return ((await this.call('GET', `issues/${id}.json?include=journals,attachments`)) as { issue: Issue }).issue;
  }

  async issues(project: string): Promise<Issue[]> {
    return ((await this.call('GET', `issues.json?project_id=${project}&status_id=*&limit=100&sort=id`)) as { issues: Issue[] }).issues;
  }

  async download(id: number, filename: string): Promise<Buffer> {
    const res = await fetch(`${this.url}/attachments/download/${id}/${encodeURIComponent(filename)}`, { headers: { 'x-redmine-api-key': this.key } });
    if (!res.ok) throw new Error(`download ${id}: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** The journals' notes, in order. */
  async notes(id: number): Promise<string[]> {
    return ((await this.issue(id)).journals ?? []).map((j) => j.notes).filter((n) => n);
  }
}
