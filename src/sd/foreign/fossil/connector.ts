/**
 * Fossil tickets as a foreign replica. Every ticket change is an artifact
 * of the repository; its row id orders the changes as they arrived, so a
 * pull reads, in one `fossil sql` run, the change artifacts after the
 * greatest row id read before (the search window) and turns each into one
 * transaction: an unchanged repository costs that one run (and, for a
 * server, one sync). A push writes with `fossil ticket add/set` and knows
 * exactly which artifact it made, so echoes are recognised by id.
 */
import { ProphetError, type Applied, type ForeignConnector, type ForeignContext, type LocalChange, type RemoteChange, type RemoteHistory, type RemoteRef, type RemoteTransaction } from '../../../prophet/index.js';
import { COMMENT, TICKET } from '../../model/record-types.js';
import type { ValueMaps } from '../value-maps.js';
import type { TicketChange } from './artifacts.js';
import type { FossilCommand } from './fossil-command.js';
import { APPENDED_COMMENT, authorOf, commentPath, DESCRIPTION, descriptionPath, fossilTimeToSd, ticketFields, ticketPath, translateChange } from './mapping.js';
import type { FossilRepository, FossilSchema } from './repository.js';

/** Row ids as search windows: windows compare as text. */
const pad = (rid: number) => String(rid).padStart(15, '0');

export class FossilConnector implements ForeignConnector {
  readonly searched = 'tickets';
  readonly recordTypes = [TICKET, COMMENT];
  readonly recordBase: string;
  /** The changes the last search found, by ticket path. */
  private found = new Map<string, TicketChange[]>();
  private maps!: ValueMaps;

  constructor(
    readonly identityUrl: string,
    readonly description: string,
    private readonly repo: FossilRepository,
    private readonly fossil: FossilCommand,
    private readonly mapsOf: () => ValueMaps,
    /** Who writes the changes whose SD author is not a user of the repository (undefined: fossil's default user). */
    private readonly writer: string | undefined,
  ) {
    this.recordBase = identityUrl;
  }

  requests(): number {
    return this.fossil.runs;
  }

  /** Opens the repository; the user map ends with its users' emails (login=email), after the configured and default entries. */
  async open(): Promise<void> {
    await this.repo.open();
    const maps = this.mapsOf();
    const { emails } = await this.repo.schema();
    this.maps = { ...maps, user: maps.user.with([...emails].map(([login, email]) => ({ foreign: login, sd: email, from: 'tracker' as const }))) };
  }

  async close(): Promise<void> {
    await this.repo.close();
  }

  async find(window: string | undefined): Promise<RemoteRef[]> {
    this.found = new Map();
    for (const change of await this.repo.changesAfter(window === undefined ? 0 : Number(window))) {
      const path = ticketPath(change.ticket);
      this.found.set(path, [...(this.found.get(path) ?? []), change]);
    }
    return [...this.found].map(([path, changes]) => ({ path, updated: pad(changes[changes.length - 1]!.rid) }));
  }

  async history(ref: RemoteRef, after: number, ctx: ForeignContext): Promise<RemoteHistory> {
    const changes = (this.found.get(ref.path) ?? []).filter((c) => c.rid > after);
    const last = changes.reduce((max, c) => Math.max(max, c.rid), after);
    return { transactions: this.translate(ref.path, changes, after > 0, ctx), last };
  }

  /** A ticket's changes, oldest first; its first change ever read makes it. */
  private translate(path: string, changes: TicketChange[], known: boolean, ctx: ForeignContext): RemoteTransaction[] {
    const ticket = ctx.uuidOf(path);
    const described = descriptionPath(path.slice('/ticket/'.length));
    let hasDescription = ctx.pathOf(ctx.uuidOf(described)) !== undefined;
    let exists = known;
    return changes.flatMap((change) => {
      const t = translateChange(change, this.maps);
      const author = authorOf(change, this.maps);
      const created = fossilTimeToSd(change.time);
      const out: RemoteChange[] = [];
      if (!exists) {
        const props = Object.fromEntries(Object.entries(t.ticket).filter(([, v]) => v !== null));
        out.push({ path, recordType: TICKET, changeType: 'add', props: { ...props, created, reporter: author } });
        exists = true;
      } else if (Object.keys(t.ticket).length) out.push({ path, recordType: TICKET, changeType: 'update', props: t.ticket });
      if (t.description !== undefined && (hasDescription || t.description.trim() !== '')) {
        out.push(hasDescription ? { path: described, recordType: COMMENT, changeType: 'update', props: { content: t.description } } : { path: described, recordType: COMMENT, changeType: 'add', props: { ticket, content: t.description, type: 'create', creator: author, created } });
        hasDescription = true;
      }
      t.comments.forEach((content, i) => {
        out.push({ path: commentPath(change.hash) + (i ? `-${i}` : ''), recordType: COMMENT, changeType: 'add', props: { ticket, content, type: 'comment', creator: author, created } });
      });
      return out.length ? [{ seq: change.rid, author, created: change.time, changes: out }] : [];
    });
  }

  async apply(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined> {
    const schema = await this.repo.schema();
    if (change.recordType === TICKET) return this.applyTicket(change, schema, ctx);
    if (change.recordType === COMMENT) return this.applyComment(change, schema, ctx);
    return undefined;
  }

  /** Who a change is written as: its SD author when the repository has that user, else the writer, naming the author. */
  private author(creator: string | null, schema: FossilSchema): { user: string | undefined; fields: Array<[string, string]> } {
    const login = creator === null ? undefined : this.maps.user.toForeign(creator);
    if (login !== undefined && schema.logins.has(login)) return { user: login, fields: [] };
    return { user: this.writer ?? schema.syncUser, fields: login !== undefined && schema.columns.has('username') ? [['username', login]] : [] };
  }

  /** One ticket change written as the change's author; what it made. */
  private async write(ticket: string | undefined, fields: Array<[string, string]>, change: LocalChange, schema: FossilSchema): Promise<TicketChange> {
    const by = this.author(change.creator, schema);
    return this.repo.write(ticket, [...fields, ...by.fields], by.user);
  }

  private async applyTicket(change: LocalChange, schema: FossilSchema, ctx: ForeignContext): Promise<Applied> {
    const path = change.path ?? '';
    const unchanged = { path, owner: path, transactions: [], props: [] };
    if (change.changeType === 'delete') {
      ctx.notice(`Fossil tickets cannot be deleted: the deleted tickets stay in the repository`);
      return unchanged;
    }
    const { fields, sent } = ticketFields(change.props, this.maps, schema.columns);
    if (change.changeType === 'update' && !fields.length) return unchanged;
    const made = await this.write(change.changeType === 'add' ? undefined : path.slice('/ticket/'.length), fields.length ? fields : [['title', '']], change, schema);
    const written = ticketPath(made.ticket);
    return { path: written, owner: written, transactions: [made.rid], props: sent };
  }

  private async applyComment(change: LocalChange, schema: FossilSchema, ctx: ForeignContext): Promise<Applied> {
    const owner = ctx.pathOf(change.record.ticket ?? change.props.ticket ?? '');
    if (!owner) throw new ProphetError(`comment ${change.uuid} belongs to a ticket Fossil does not have yet`, 'not-found');
    const ticket = owner.slice('/ticket/'.length);
    const content = change.record.content ?? '';
    if (change.changeType === 'add') {
      const fields: Array<[string, string]> = [[`+${APPENDED_COMMENT}`, content]];
      if (schema.columns.has('mimetype')) fields.push(['mimetype', 'text/plain']);
      const made = await this.write(ticket, fields, change, schema);
      return { path: commentPath(made.hash), owner, transactions: [made.rid] };
    }
    if (change.changeType === 'update' && change.path?.startsWith('/description/')) {
      const made = await this.write(ticket, [[DESCRIPTION, content]], change, schema);
      return { path: change.path, owner, transactions: [made.rid], props: ['content'] };
    }
    ctx.notice(`Fossil keeps a ticket's comments as they were written: edits and deletions of comments are not sent`);
    return { path: change.path ?? '', owner, transactions: [], props: [] };
  }
}
