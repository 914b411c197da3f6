/**
 * Acting on RT directly through its REST2 API, as a person or another tool
 * would: never through SD's code, which is what the tests check.
 *
 * RT checks the password with bcrypt on every basic-auth request (~0.3 s),
 * so this logs in once and reuses the session cookie (~20 ms a call).
 * Written for RT 5.0.3's REST2 as Debian ships it.
 */

export interface RtLogin {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  user: string;
  password: string;
}

export interface NewTicket {
  subject: string;
  /** The creation text. */
  content?: string;
  requestors?: string[];
  cc?: string[];
  adminCc?: string[];
  owner?: string;
  status?: string;
  priority?: number;
  customFields?: Record<string, string | string[]>;
  attachments?: FileToAttach[];
}

export interface FileToAttach {
  name: string;
  type: string;
  bytes: Buffer;
}

export interface RtTransaction {
  id: number;
  Type: string;
  Field?: string;
  OldValue?: string;
  NewValue?: string;
  Creator: string;
  Created: string;
  Description?: string;
}

export interface RtAttachment {
  id: number;
  Filename: string;
  ContentType: string;
  TransactionId: number;
  bytes: Buffer;
}

export class RtError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class RtRest {
  private cookie: string | undefined;

  constructor(readonly login: RtLogin) {}

  /** A REST2 call; `body` is sent as JSON. Answers the parsed JSON (or `{}` for an empty answer). */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new RtError(res.status, `RT ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(method: string, path: string, body: unknown, retry = true): Promise<Response> {
    await this.session();
    // With a session cookie RT refuses writes as cross-site forgery unless the Referer is RT itself.
    const headers: Record<string, string> = { cookie: this.cookie!, accept: 'application/json', referer: `${this.login.url}/` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.login.url}/REST/2.0/${path.replace(/^\//, '')}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401 && retry) {
      this.cookie = undefined;
      await res.arrayBuffer();
      return this.send(method, path, body, false);
    }
    return res;
  }

  /** Logs in once through the web form; the session cookie also serves REST2. */
  private async session(): Promise<void> {
    if (this.cookie) return;
    const form = new URLSearchParams({ user: this.login.user, pass: this.login.password });
    const res = await fetch(`${this.login.url}/NoAuth/Login.html`, { method: 'POST', body: form, redirect: 'manual' });
    await res.arrayBuffer();
    const sid = res.headers.getSetCookie().find((c) => c.startsWith('RT_SID_'));
    if (!sid) throw new RtError(res.status, `RT login as ${this.login.user} at ${this.login.url} gave no session cookie (status ${res.status})`);
    this.cookie = sid.split(';')[0]!;
  }

  /** Creates a queue (a fresh name per test keeps tests apart) and answers its name. */
  async createQueue(name: string): Promise<string> {
    await this.call('POST', 'queue', { Name: name, Description: 'made by the SD test suite' });
    return name;
  }

  async createTicket(queue: string, t: NewTicket): Promise<number> {
    const body: Record<string, unknown> = {
      Queue: queue,
      Subject: t.subject,
      Content: t.content ?? '',
      ContentType: 'text/plain',
    };
    if (t.requestors) body.Requestor = t.requestors;
    if (t.cc) body.Cc = t.cc;
    if (t.adminCc) body.AdminCc = t.adminCc;
    if (t.owner) body.Owner = t.owner;
    if (t.status) body.Status = t.status;
    if (t.priority !== undefined) body.Priority = t.priority;
    if (t.customFields) body.CustomFields = t.customFields;
    if (t.attachments) body.Attachments = t.attachments.map(encodeFile);
    const made = await this.call<{ id: number | string }>('POST', 'ticket', body);
    return Number(made.id);
  }

  /** Adds a private comment; with files, attaches them to it. */
  async comment(id: number, text: string, files: FileToAttach[] = []): Promise<void> {
    await this.message(id, 'comment', text, files);
  }

  /** Adds correspondence (a reply the requestors see). */
  async correspond(id: number, text: string, files: FileToAttach[] = []): Promise<void> {
    await this.message(id, 'correspond', text, files);
  }

  private async message(id: number, kind: 'comment' | 'correspond', text: string, files: FileToAttach[]): Promise<void> {
    const body: Record<string, unknown> = { Content: text, ContentType: 'text/plain' };
    if (files.length) body.Attachments = files.map(encodeFile);
    await this.call('POST', `ticket/${id}/${kind}`, body);
  }

  /** Changes ticket fields: Status, Owner, Subject, Priority, CustomFields, Requestor... as REST2 names them. */
  async update(id: number, fields: Record<string, unknown>): Promise<void> {
    await this.call('PUT', `ticket/${id}`, fields);
  }

  async setStatus(id: number, status: string): Promise<void> {
    await this.update(id, { Status: status });
  }

  async setOwner(id: number, owner: string): Promise<void> {
    await this.update(id, { Owner: owner });
  }

  /** RT does not remove tickets: DELETE sets the status `deleted`, after which searches skip it. */
  async deleteTicket(id: number): Promise<void> {
    await this.call('DELETE', `ticket/${id}`);
  }

  /** The ticket as REST2 shows it (Subject, Status, Owner, Requestor, Cc, Priority, CustomFields...). */
  async ticket(id: number): Promise<RtTicket> {
    return this.call<RtTicket>('GET', `ticket/${id}`);
  }

  /** A custom field's values on a ticket, by the field's name. */
  async customField(id: number, name: string): Promise<string[]> {
    const t = await this.ticket(id);
    return (t.CustomFields ?? []).find((cf) => cf.name === name)?.values ?? [];
  }

  /** Ticket ids in a queue, optionally narrowed by TicketSQL, in id order. */
  async search(queue: string, sql = ''): Promise<number[]> {
    const query = `Queue = '${queue}'${sql ? ` AND (${sql})` : ''}`;
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const got = await this.call<Page<{ id: string }>>('GET', `tickets?query=${encodeURIComponent(query)}&orderby=id&order=ASC&per_page=100&page=${page}`);
      ids.push(...got.items.map((i) => Number(i.id)));
      if (got.items.length === 0 || page >= (got.pages ?? 1)) return ids;
    }
  }

  /** Every transaction of a ticket, oldest first (EmailRecord ones included: RT records its outgoing mail). */
  async transactions(id: number): Promise<RtTransaction[]> {
    const out: RtTransaction[] = [];
    const fields = 'Type,Field,OldValue,NewValue,Creator,Created,Description';
    for (let page = 1; ; page++) {
      const got = await this.call<Page<Record<string, unknown>>>('GET', `ticket/${id}/history?fields=${fields}&per_page=100&page=${page}`);
      for (const t of got.items) out.push({ ...(t as unknown as RtTransaction), id: Number(t.id), Creator: creatorName(t.Creator) });
      if (got.items.length === 0 || page >= (got.pages ?? 1)) return out;
    }
  }

  /** The texts of a ticket's comments (Type Comment) or correspondence (Type Correspond), oldest first. */
  async messages(id: number, type: 'Comment' | 'Correspond' | 'Create'): Promise<string[]> {
    const texts: string[] = [];
    for (const t of await this.transactions(id)) {
      if (t.Type !== type) continue;
      const parts = await this.call<Page<{ id: string; ContentType: string; Content?: string; Filename?: string }>>(
        'GET',
        `transaction/${t.id}/attachments?fields=ContentType,Content,Filename&per_page=100`,
      );
      const text = parts.items.find((p) => p.ContentType === 'text/plain' && !p.Filename && p.Content);
      // In a listing RT gives Content as text (base64 only from /attachment/ID).
      if (text) texts.push(text.Content!);
    }
    return texts;
  }

  /** The named files attached to a ticket, with their bytes. */
  async attachments(id: number): Promise<RtAttachment[]> {
    const got = await this.call<Page<{ id: string; Filename?: string }>>('GET', `ticket/${id}/attachments?fields=Filename&per_page=100`);
    const files: RtAttachment[] = [];
    for (const item of got.items.filter((a) => a.Filename)) {
      // Only /attachment/ID gives exact bytes (base64); a listing's Content is the bytes as characters.
      const a = await this.call<{ id: number; Filename: string; ContentType: string; Content: string; TransactionId: { id: string } }>('GET', `attachment/${item.id}`);
      files.push({ id: Number(a.id), Filename: a.Filename, ContentType: a.ContentType, TransactionId: Number(a.TransactionId.id), bytes: Buffer.from(a.Content, 'base64') });
    }
    return files;
  }
}

export interface RtTicket {
  id: number;
  Subject: string;
  Status: string;
  Priority: string | number;
  Queue: { id: string; type: string };
  Owner: { id: string; type: string };
  Requestor: Array<{ id: string }>;
  Cc: Array<{ id: string }>;
  AdminCc: Array<{ id: string }>;
  CustomFields?: Array<{ id: string; name: string; values: string[] }>;
  [field: string]: unknown;
}

interface Page<T> {
  items: T[];
  page?: number;
  pages?: number;
  total?: number;
  count?: number;
}

function encodeFile(f: FileToAttach): Record<string, string> {
  return { FileName: f.name, FileType: f.type, FileContent: f.bytes.toString('base64') };
}

function creatorName(creator: unknown): string {
  if (creator && typeof creator === 'object' && 'id' in creator) return String((creator as { id: unknown }).id);
  return String(creator ?? '');
}
