/**
 * A foreign tracker as a target of the merge engine: a push. The local
 * log after the foreign side's ticket is walked in order; each change is
 * sent through the connector, and what it did (the id mapping, the
 * remote transactions it made, whose value the remote now holds) is
 * written locally in one transaction right after the remote accepted it.
 * A change that fails stops the push there, with the ticket before it: the
 * next push sends it again (the original marked failed pushes as done).
 */
import { changesetId } from '../model/changeset.js';
import { ProphetError } from '../model/errors.js';
import { isInternalType, type ChangesetContent } from '../model/types.js';
import type { Replica } from '../replica/replica.js';
import type { SyncSummary } from '../sync/source.js';
import { emptyPhase, type ChangesetTarget, type Incoming, type IntegrateOptions, type IntegrationReport, type TargetIdentity, type TargetTickets } from '../sync/target.js';
import { verifyEntry } from '../sync/tickets.js';
import { ForeignBook, keys } from './book.js';
import type { ForeignConnector, LocalChange } from './connector.js';
import { BookContext } from './context.js';
import { urlUuid } from './ids.js';

export class ForeignTarget implements ChangesetTarget {
  readonly uuid: string;
  private readonly book: ForeignBook;
  private readonly context: BookContext;
  private readonly sent = new Map<string, Set<string>>();
  private opened = false;

  constructor(
    private readonly connector: ForeignConnector,
    local: Replica,
  ) {
    this.uuid = urlUuid(connector.identityUrl);
    this.book = new ForeignBook(local, this.uuid);
    this.context = new BookContext(this.book, connector.recordBase);
  }

  get description(): string {
    return this.connector.description;
  }

  async identity(): Promise<TargetIdentity> {
    // A foreign tracker belongs to no database: the local one is never refused.
    return { replica: { uuid: this.uuid } };
  }

  async tickets(): Promise<TargetTickets> {
    return { replica: this.book.pushed(), resolutions: 0 };
  }

  async integrate(incoming: Incoming, opts: IntegrateOptions): Promise<IntegrationReport> {
    const report = emptyPhase(incoming.changesets.uuid);
    let done = 0;
    for await (const batch of incoming.changesets.batches) {
      for (const entry of batch) {
        const { content } = verifyEntry(entry, () => `changeset ${entry.sequence_no} of ${incoming.description}`);
        const changes = this.toSend(content);
        if (!changes.length) {
          report.skipped++;
          if (!opts.dryRun) this.book.set({ [keys.pushed]: String(entry.sequence_no) });
        } else if (opts.dryRun) {
          report.wouldMerge.push({ id: changesetId(content.original_source_uuid, content.original_sequence_no), sequence_no: entry.sequence_no, creator: content.creator, created: content.created, records: changes.length });
        } else {
          await this.send(content, changes, entry.sequence_no);
          report.integrated++;
        }
        opts.onProgress?.({ phase: 'changesets', label: `Pushing to ${this.description}`, done: ++done, total: incoming.changesets.total });
      }
    }
    return { changesets: report, conflicts: [] };
  }

  /** The changes of a changeset that go to the remote: not a nullification, not from this remote, not settings, not already sent. */
  private toSend(content: ChangesetContent): Array<[string, ChangesetContent['changes'][string]]> {
    if (content.is_nullification || this.book.isOrigin(content.original_source_uuid)) return [];
    const id = changesetId(content.original_source_uuid, content.original_sequence_no);
    const order = this.connector.recordTypes;
    const rank = (type: string) => (order.includes(type) ? order.indexOf(type) : order.length);
    return Object.entries(content.changes)
      .filter(([uuid, change]) => !isInternalType(change.record_type) && !this.book.isDone(id, uuid))
      .sort(([, a], [, b]) => rank(a.record_type) - rank(b.record_type));
  }

  private async send(content: ChangesetContent, changes: Array<[string, ChangesetContent['changes'][string]]>, position: number): Promise<void> {
    if (!this.opened) await this.connector.open();
    this.opened = true;
    const id = changesetId(content.original_source_uuid, content.original_sequence_no);
    const local = this.book.local;
    for (const [uuid, change] of changes) {
      const props = Object.fromEntries(Object.entries(change.prop_changes).map(([name, pc]) => [name, pc.new_value]));
      const path = this.book.pathOf(uuid);
      const record = local.findRecord(uuid)?.props ?? {};
      // A record the remote never got (its add went elsewhere first) is sent whole.
      const changeType = change.change_type !== 'add' && !path ? 'add' : change.change_type;
      const sending: LocalChange = { uuid, recordType: change.record_type, changeType, props: changeType === 'add' && change.change_type !== 'add' ? { ...record, ...props } : props, record, path, creator: content.creator, created: content.created };
      let applied;
      try {
        applied = this.connector.recordTypes.includes(change.record_type) ? await this.connector.apply(sending, this.context) : undefined;
      } catch (err) {
        if (err instanceof ProphetError) throw new ProphetError(`could not push changeset ${id} to ${this.description} (it will be sent again on the next push): ${err.message}`, err.code);
        throw err;
      }
      const values: Record<string, string> = { [keys.done(id, uuid)]: '1' };
      if (!applied) {
        this.context.notice(`${change.record_type} records are not sent to ${this.description}; skipped`);
      } else {
        const origin = this.context.originOf(applied.owner);
        values[keys.path(uuid)] = applied.path;
        values[keys.origin(origin)] = applied.owner;
        if (changeType === 'add' && this.context.uuidOf(applied.path) !== uuid) values[keys.uuid(applied.path)] = uuid;
        for (const seq of applied.transactions) values[keys.ours(origin, seq)] = id;
        for (const name of applied.props ?? Object.keys(props)) values[keys.head(uuid, name)] = id;
        values[keys.head(uuid, '')] = id;
        const ofType = this.sent.get(change.record_type) ?? new Set<string>();
        this.sent.set(change.record_type, ofType.add(uuid));
      }
      local.transaction(() => this.book.set(values));
    }
    local.transaction(() => this.book.set({ [keys.pushed]: String(position) }));
  }

  summary(): SyncSummary {
    return { records: Object.fromEntries([...this.sent].map(([type, uuids]) => [type, uuids.size])), requests: this.connector.requests(), notices: this.context.notices };
  }

  async close(): Promise<void> {
    await this.connector.close?.();
  }
}
