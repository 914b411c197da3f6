/**
 * Request Tracker as a foreign replica, over RT 5's REST 2 API (JSON).
 * Per changed ticket: its current state, its transactions after the mark
 * (one search), and the message parts and files of those transactions
 * (one search): O(changed tickets) requests, never one per ticket of the
 * queue. Users, queues and custom fields are looked up once per sync.
 */
import { describeBytes, MIB, ProphetError, redactUrls, type Applied, type ForeignConnector, type ForeignContext, type LocalChange, type RemoteChange, type RemoteHistory, type RemoteRef, type RemoteTransaction, type Properties } from '../../../prophet/index.js';
import { attachmentBytes } from '../../model/attachments.js';
import { ATTACHMENT, COMMENT, TICKET } from '../../model/record-types.js';
import { fileBytes, messageOf, parseAttachment, type RawAttachment, type RtAttachment } from './attachments.js';
import { RtClient } from './client.js';
import { mapProps, type ValueMaps } from '../value-maps.js';
import { unsettled } from '../shared/tracker-http.js';
import { cfProp, difference, joinList } from '../shared/values.js';
import { isSilent, propOf, rewind, RT_MAPPED, ticketFields, timeToSd, type Names, type RtTransaction } from './mapping.js';
import type { RtUrl } from './url.js';
import { RtNames } from './names.js';

const PAGE = 100;
/** A file read from RT, as base64 in JSON: RT's own size limits are far below this. */
const FILE_LIMIT = { bytes: 256 * MIB, what: 'an RT attachment' };
/** Attachments per page: each carries its bytes. */
const ATTACHMENT_PAGE = 10;
/** RT's own default $MaxAttachmentSize: bigger files are truncated or dropped by RT, so they are refused here first. */
export const DEFAULT_MAX_ATTACHMENT = 10 * 1024 * 1024;

interface Page<T> {
  items: T[];
  page: number;
  pages?: number;
  total?: number | null;
}

interface RawTicket {
  id: number;
  Subject?: string;
  Status?: string;
  Priority?: string;
  Created?: string;
  LastUpdated?: string;
  Owner?: { id: string };
  Queue?: { id: string };
  Requestor?: Array<{ id: string }>;
  Cc?: Array<{ id: string }>;
  AdminCc?: Array<{ id: string }>;
  CustomFields?: Array<{ id: string; name: string; values: string[] }>;
}

export class RtConnector implements ForeignConnector {
  readonly identityUrl: string;
  readonly recordBase: string;
  readonly description: string;
  readonly searched = 'tickets';
  readonly recordTypes = [TICKET, COMMENT, ATTACHMENT];
  private readonly names: RtNames;
  private maps!: ValueMaps;

  constructor(
    private readonly url: RtUrl,
    private readonly client: RtClient,
    private readonly mapsOf: () => ValueMaps,
    private readonly maxAttachment = DEFAULT_MAX_ATTACHMENT,
  ) {
    // The queue, not the query, names the replica: narrowing or widening the query keeps the bookkeeping (the original lost it).
    this.identityUrl = `${url.server}|${url.queue}`;
    this.recordBase = url.server.replace(/\/$/, '');
    this.description = redactUrls(`rt:${url.server}|${url.queue}|${url.query}`);
    this.names = new RtNames(client);
  }

  requests(): number {
    return this.client.requests;
  }

  async open(): Promise<void> {
    this.maps = this.mapsOf();
    await this.client.login();
    await this.names.checkQueue(this.url.queue);
  }

  private query(window?: string): string {
    const parts = [`Queue = '${this.url.queue.replace(/'/g, "\\'")}'`];
    if (this.url.query) parts.push(`(${this.url.query})`);
    // RT reads a time without a zone in the user's time zone: the window is UTC, and says so.
    if (window) parts.push(`LastUpdated >= '${window} GMT'`);
    return parts.join(' AND ');
  }

  async find(window: string | undefined): Promise<RemoteRef[]> {
    const found: RemoteRef[] = [];
    for (let page = 1; ; page++) {
      const params = new URLSearchParams({ query: this.query(window), fields: 'LastUpdated', per_page: String(PAGE), page: String(page), orderby: 'id', order: 'ASC' });
      let answer: Page<{ id: string; LastUpdated: string }>;
      try {
        answer = (await this.client.get(`tickets?${params}`)) as Page<{ id: string; LastUpdated: string }>;
      } catch (err) {
        if (err instanceof ProphetError && /: 400 /.test(err.message)) {
          throw new ProphetError(`RT at ${this.url.server} rejected the TicketSQL '${this.url.query}': ${err.message.replace(/^.*: 400 /, '')}`, 'usage');
        }
        throw err;
      }
      for (const t of answer.items) found.push({ path: `/ticket/${t.id}`, updated: timeToSd(t.LastUpdated) ?? '', unsettled: unsettled(t.LastUpdated, this.client.answeredAt) });
      if (!answer.items.length || page >= (answer.pages ?? page)) break;
    }
    return found;
  }

  /** Every page of a REST 2 search. */
  private async search<T>(path: string, fields: string, after: number, afterField: string, perPage = PAGE): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const params = `fields=${fields}&per_page=${perPage}&page=${page}&orderby=id&order=ASC`;
      const answer = (await this.client.post(`${path}?${params}`, [{ field: afterField, operator: '>', value: String(after) }])) as Page<T>;
      all.push(...answer.items);
      if (!answer.items.length || page >= (answer.pages ?? page)) break;
    }
    return all;
  }

  async history(ref: RemoteRef, after: number, ctx: ForeignContext): Promise<RemoteHistory> {
    const id = ref.path.slice('/ticket/'.length);
    const raw = await this.search<Record<string, unknown>>(`ticket/${id}/history`, 'Type,Field,OldValue,NewValue,Created,Creator&fields[Creator]=EmailAddress,Name', after, 'id');
    const txns = raw.map(toTransaction);
    const last = txns.reduce((max, t) => Math.max(max, t.id), after);
    // Found again only because of the window's overlap: nothing new, nothing more to ask.
    if (!txns.length) return { transactions: [], last };
    const ticket = await this.ticket(id);
    const bearing = txns.some((t) => t.Type === 'Create' || t.Type === 'Comment' || t.Type === 'Correspond');
    const parts = bearing ? (await this.search<RawAttachment>(`ticket/${id}/attachments`, 'Filename,ContentType,TransactionId,Content', after, 'TransactionId', ATTACHMENT_PAGE)).map(parseAttachment) : [];
    await this.names.load(txns, ticket);
    const files = new Map<number, Buffer>();
    for (const part of parts) if (part.filename) files.set(part.id, fileBytes((await this.client.get(`attachment/${part.id}`, FILE_LIMIT)) as { Content?: string }));
    const current = this.state(ticket);
    return { transactions: this.translate(ref.path, txns, current, parts, files, ctx), last };
  }

  private async ticket(id: string): Promise<RawTicket> {
    try {
      return (await this.client.get(`ticket/${id}`)) as RawTicket;
    } catch (err) {
      if (err instanceof ProphetError && err.code === 'not-found') throw new ProphetError(`ticket ${id} no longer exists in RT at ${this.url.server} (deleted remotely); nothing of it was pulled`, 'not-found');
      throw err;
    }
  }

  /** A ticket's current state in SD's terms. */
  private state(t: RawTicket): Properties {
    const names: Names = this.names;
    const props: Record<string, string | null> = {
      summary: t.Subject ?? null,
      status: t.Status ?? null,
      owner: t.Owner ? names.user(t.Owner.id) : null,
      priority: t.Priority ?? null,
      queue: t.Queue ? names.queue(t.Queue.id) : null,
      reporter: joinList((t.Requestor ?? []).map((u) => names.user(u.id) ?? '')),
      cc: joinList((t.Cc ?? []).map((u) => names.user(u.id) ?? '')),
      admin_cc: joinList((t.AdminCc ?? []).map((u) => names.user(u.id) ?? '')),
      created: timeToSd(t.Created),
    };
    for (const cf of t.CustomFields ?? []) props[cfProp(cf.name)] = joinList(cf.values);
    return Object.fromEntries(Object.entries(props).filter((e): e is [string, string] => e[1] !== null && e[1] !== ''));
  }

  /** The transactions, oldest first, each with the state it left: rewound from the current state, newest first. */
  private translate(path: string, txns: RtTransaction[], current: Properties, parts: RtAttachment[], files: Map<number, Buffer>, ctx: ForeignContext): RemoteTransaction[] {
    const states: Properties[] = [];
    let after = current;
    for (let i = txns.length - 1; i >= 0; i--) {
      states[i] = after;
      after = rewind(txns[i]!, after, this.names);
    }
    const ticketUuid = ctx.uuidOf(path);
    const out: RemoteTransaction[] = [];
    txns.forEach((txn, i) => {
      const state = states[i]!;
      const before = i > 0 ? states[i - 1]! : after;
      const changes: RemoteChange[] = [];
      const message = () => messageOf(parts.filter((p) => p.transaction === txn.id));
      if (txn.Type === 'Create') {
        changes.push({ path, recordType: TICKET, changeType: 'add', props: state });
        changes.push(...this.message(ticketUuid, txn, 'create', message(), files));
      } else if (txn.Type === 'Comment' || txn.Type === 'Correspond') {
        changes.push(...this.message(ticketUuid, txn, txn.Type.toLowerCase(), message(), files));
      } else if (propOf(txn, this.names)) {
        const props = difference(before, state);
        if (Object.keys(props).length) changes.push({ path, recordType: TICKET, changeType: 'update', props });
      } else if (!isSilent(txn.Type) && txn.Type !== 'Set') {
        ctx.notice(`RT transaction type ${txn.Type}${txn.Field ? ` (${txn.Field})` : ''} is not mapped to SD; skipped (first seen in transaction ${txn.id} of ${path.slice(1)})`);
      }
      if (changes.length) out.push({ seq: txn.id, author: this.maps.user.toSd(txn.creator), created: txn.Created, changes: changes.map((c) => (c.recordType === TICKET ? { ...c, props: mapProps(c.props, this.maps, RT_MAPPED, 'sd') } : c)) });
    });
    return out;
  }

  /** A comment (with its type kept) and its files. */
  private message(ticket: string, txn: RtTransaction, type: string, message: { text?: string; files: RtAttachment[] }, bytes: Map<number, Buffer>): RemoteChange[] {
    const changes: RemoteChange[] = [];
    const created = timeToSd(txn.Created);
    const creator = this.maps.user.toSd(txn.creator);
    if (message.text !== undefined && message.text.trim() !== '') {
      changes.push({ path: `/transaction/${txn.id}`, recordType: COMMENT, changeType: 'add', props: { ticket, content: message.text, type, creator, created } });
    }
    for (const file of message.files) {
      const content = bytes.get(file.id)!;
      changes.push({
        path: `/attachment/${file.id}`,
        recordType: ATTACHMENT,
        changeType: 'add',
        props: { ticket, name: file.filename, content: content.toString('base64'), content_encoding: 'base64', content_type: file.contentType || 'application/octet-stream', size: String(content.length), creator, created },
      });
    }
    return changes;
  }

  async apply(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined> {
    if (change.recordType === TICKET) return this.applyTicket(change, ctx);
    if (change.recordType === COMMENT || change.recordType === ATTACHMENT) return this.applyMessage(change, ctx);
    return undefined;
  }

  private customFieldName = (prop: string) => this.names.customFieldByProp(prop);

  private async applyTicket(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined> {
    await this.names.loadCustomFields();
    if (change.changeType === 'add') {
      const { fields, sent } = ticketFields(mapProps(change.props, this.maps, RT_MAPPED, 'foreign'), this.customFieldName);
      const created = (await this.client.post('ticket', { ...fields, Queue: this.url.queue })) as { id: number };
      const path = `/ticket/${created.id}`;
      return { path, owner: path, transactions: await this.ours(path, ctx, { Create: 1 }), props: sent };
    }
    const path = change.path!;
    const id = path.slice('/ticket/'.length);
    const props = change.changeType === 'delete' ? { status: 'deleted' } : mapProps(change.props, this.maps, RT_MAPPED, 'foreign');
    const { fields, sent } = ticketFields(props, this.customFieldName);
    if (!Object.keys(fields).length) return { path, owner: path, transactions: [], props: [] };
    // RT takes updates to a deleted ticket (and would bring it back with a status): refuse instead.
    if ((await this.ticket(id)).Status === 'deleted' && change.changeType !== 'delete') {
      throw new ProphetError(`ticket ${id} was deleted in RT at ${this.url.server}: its changes in SD are kept here and not sent`, 'not-found');
    }
    await this.client.put(`ticket/${id}`, fields);
    return { path, owner: path, transactions: await this.ours(path, ctx, expectedUpdates(fields)), props: sent };
  }

  private async applyMessage(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined> {
    const ticketPath = ctx.pathOf(change.record.ticket ?? change.props.ticket ?? '');
    if (!ticketPath) throw new ProphetError(`${change.recordType} ${change.uuid} belongs to a ticket RT does not have yet`, 'not-found');
    const id = ticketPath.slice('/ticket/'.length);
    // Only what was correspondence in RT goes out as correspondence (mailed to the requestors); SD's own comments stay internal comments.
    const kind = change.record.type === 'correspond' || change.record.type === 'create' ? 'correspond' : 'comment';
    const json: Record<string, unknown> = { ContentType: 'text/plain' };
    if (change.recordType === COMMENT) json.Content = change.record.content ?? '';
    else {
      const bytes = attachmentBytes(change.record);
      if (bytes.length > this.maxAttachment) {
        throw new ProphetError(`attachment '${change.record.name}' (${describeBytes(bytes.length)}) is too large for RT at ${this.url.server}, which takes at most ${describeBytes(this.maxAttachment)} (SD_RT_MAX_ATTACHMENT)`, 'validation');
      }
      json.Content = '(See attachments)';
      json.Attachments = [{ FileName: change.record.name ?? 'attachment', FileType: change.record.content_type ?? 'application/octet-stream', FileContent: bytes.toString('base64') }];
    }
    if ((await this.ticket(id)).Status === 'deleted') {
      throw new ProphetError(`ticket ${id} was deleted in RT at ${this.url.server}: the ${change.recordType} made in SD is kept here and not sent`, 'not-found');
    }
    await this.client.post(`ticket/${id}/${kind}`, json);
    const transactions = await this.ours(ticketPath, ctx, { [kind === 'comment' ? 'Comment' : 'Correspond']: 1 });
    if (change.recordType === ATTACHMENT) await this.checkStored(id, transactions[0], change.record.name ?? 'attachment', attachmentBytes(change.record).length);
    return { path: transactions.length ? `/transaction/${transactions[0]}` : ticketPath, owner: ticketPath, transactions };
  }

  /** RT drops (or cuts) files over its $MaxAttachmentSize without failing the request: check the file arrived whole. */
  private async checkStored(id: string, txn: number | undefined, name: string, size: number): Promise<void> {
    const parts = txn === undefined ? [] : await this.search<RawAttachment>(`ticket/${id}/attachments`, 'Filename,TransactionId,ContentLength', txn - 1, 'TransactionId');
    const stored = parts.find((p) => Number(typeof p.TransactionId === 'object' ? p.TransactionId.id : p.TransactionId) === txn && p.Filename === name);
    const length = Number((stored as { ContentLength?: string } | undefined)?.ContentLength ?? -1);
    if (!stored || (length >= 0 && length !== size)) {
      throw new ProphetError(`RT at ${this.url.server} did not keep attachment '${name}' (${describeBytes(size)}) whole: it is larger than RT's $MaxAttachmentSize allows; it stays in SD only`, 'validation');
    }
  }

  /**
   * The transactions a push just made: those after the ticket's mark, by
   * this user, of the kinds the push asked for, not already known as ours.
   * What RT did on its own (a scrip reopening the ticket) does not match
   * and is pulled back later.
   */
  private async ours(path: string, ctx: ForeignContext, expected: Record<string, number>): Promise<number[]> {
    const id = path.slice('/ticket/'.length);
    const raw = await this.search<Record<string, unknown>>(`ticket/${id}/history`, 'Type,Field,NewValue,Creator&fields[Creator]=Name', ctx.mark(path), 'id');
    const found: number[] = [];
    const left = { ...expected };
    for (const r of raw) {
      const txn = toTransaction(r);
      const key = ['Set', 'Status', 'AddWatcher', 'DelWatcher'].includes(txn.Type) ? `${txn.Type}:${txn.Field}` : txn.Type;
      const name = (r.Creator as { Name?: string } | undefined)?.Name;
      if (name !== this.client.user || ctx.isOurs(path, txn.id) || !left[key]) continue;
      left[key]!--;
      found.push(txn.id);
    }
    return found;
  }
}

/** The transactions an update asks RT for, by kind: `Set:Subject`, `Status:Status`, `AddWatcher:Cc`... (watchers and custom fields may take several). */
function expectedUpdates(fields: Record<string, unknown>): Record<string, number> {
  const expected: Record<string, number> = {};
  for (const field of Object.keys(fields)) {
    if (field === 'Status') expected['Status:Status'] = 1;
    else if (field === 'Owner') expected['Set:Owner'] = 1;
    else if (['Requestor', 'Cc', 'AdminCc'].includes(field)) {
      expected[`AddWatcher:${field}`] = 100;
      expected[`DelWatcher:${field}`] = 100;
    } else if (field === 'CustomFields') expected.CustomField = 100;
    else expected[`Set:${field}`] = 1;
  }
  return expected;
}

function toTransaction(r: Record<string, unknown>): RtTransaction {
  const creator = r.Creator as { EmailAddress?: string; Name?: string } | undefined;
  const who = creator?.Name === 'RT_System' || creator?.Name === 'Nobody' ? null : creator?.EmailAddress || creator?.Name || null;
  return {
    id: Number(r.id),
    Type: String(r.Type ?? ''),
    Field: String(r.Field ?? ''),
    OldValue: String(r.OldValue ?? ''),
    NewValue: String(r.NewValue ?? ''),
    Created: String(r.Created ?? ''),
    creator: who,
  };
}
