/**
 * A foreign tracker as a source of the merge engine. Its "log" is made up
 * as the merge reads it: the records changed since the last pull's window,
 * each one's transactions after its high-water mark (the local merge
 * ticket of its pseudo-replica) turned into changesets, what a push made
 * left out. The log is open-ended (its length is known once read), and
 * everything the pull learns is bookkeeping that commits with the
 * changesets it describes, so a pull killed at any point resumes where
 * its last transaction ended, with nothing duplicated.
 */
import { newUuid } from '../model/uuid.js';
import type { Replica } from '../replica/replica.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity, SyncSummary } from '../sync/source.js';
import type { MergeProgress } from '../sync/target.js';
import { ForeignBook, keys } from './book.js';
import type { ForeignConnector, RemoteRef } from './connector.js';
import { BookContext } from './context.js';
import { urlUuid } from './ids.js';
import { RemoteChangesets } from './remote-changesets.js';

/** Noted after an unsettled record's `updated`: a value no search gives, so the record is read again. */
const UNSETTLED = '(unsettled)';

export interface ForeignOptions {
  local: () => Replica | undefined;
  dryRun?: boolean;
  onProgress?: (progress: MergeProgress) => void;
}

/** Changesets per local transaction: a pull killed midway keeps all but the last few records it read. */
const BATCH = 10;

export class ForeignSource implements ChangesetSource {
  readonly foreign = true;
  readonly batchSize = BATCH;
  readonly uuid: string;
  private found?: RemoteRef[];
  private provisional?: string;
  private built?: RemoteChangesets;
  private context?: BookContext;

  constructor(
    private readonly connector: ForeignConnector,
    private readonly opts: ForeignOptions,
  ) {
    this.uuid = urlUuid(connector.identityUrl);
  }

  get description(): string {
    return this.connector.description;
  }

  private book(): ForeignBook | undefined {
    const local = this.opts.local();
    return local && new ForeignBook(local, this.uuid);
  }

  async identity(): Promise<ReplicaIdentity> {
    const book = this.book();
    // A clone asks before its replica exists: any database uuid will do, the replica takes it.
    if (!book) return { uuid: this.uuid, databaseUuid: (this.provisional ??= newUuid()), latestSequenceNo: 0 };
    if (!this.found) {
      await this.connector.open();
      const finding = `Finding matching ${this.connector.searched}`;
      this.progress(finding, 0, 1);
      this.found = await this.connector.find(book.window());
      this.progress(finding, 1, 1);
    }
    const after = book.local.mergeTicket(this.uuid);
    if (!this.found.length) return { uuid: this.uuid, databaseUuid: book.local.databaseUuid, latestSequenceNo: after };
    return { uuid: this.uuid, databaseUuid: book.local.databaseUuid, latestSequenceNo: after + 1, openEnded: true };
  }

  resolutions(): undefined {
    return undefined;
  }

  private progress(label: string, done: number, total: number): void {
    this.opts.onProgress?.({ phase: 'changesets', label, done, total });
  }

  async *changesets(after: number): AsyncIterable<ChangesetEntry[]> {
    const book = this.book()!;
    const found = this.found ?? [];
    const ctx = (this.context = new BookContext(book, this.connector.recordBase));
    const built = (this.built = new RemoteChangesets(book, (path) => ctx.uuidOf(path)));
    let position = after;
    let batch: ChangesetEntry[] = [];
    // The last entry is held back: the next window rides on it, so it commits only once every record is in.
    let held: ChangesetEntry | undefined;
    const add = (entry: ChangesetEntry) => {
      if (held) batch.push(held);
      held = entry;
    };
    const seen: Record<string, string> = {};
    for (const [i, ref] of found.entries()) {
      this.progress(`Reading ${this.connector.searched}`, i, found.length);
      // The search window includes its own instant, so records last read at that instant come back: unchanged since (and settled then), they cost no request.
      if (book.seen(ref.path) === ref.updated) continue;
      const origin = ctx.originOf(ref.path);
      const mark = ctx.mark(ref.path);
      const history = await this.connector.history(ref, mark, ctx);
      let last = mark;
      const before = position;
      for (const txn of history.transactions) {
        if (txn.seq <= mark || book.isOurs(origin, txn.seq)) continue;
        add(built.entry(origin, ref.path, txn, ++position));
        last = txn.seq;
      }
      if (history.last > last) add(built.marker(origin, ref.path, history.last, new Date().toISOString(), ++position));
      // Read through to `updated`: noted with the record's last changeset, or on its own when it brought none.
      const through = ref.unsettled ? `${ref.updated} ${UNSETTLED}` : ref.updated;
      if (position > before) held!.bookkeeping!.values[keys.seen(ref.path)] = through;
      else seen[keys.seen(ref.path)] = through;
      if (batch.length) {
        yield batch;
        batch = [];
      }
    }
    this.progress(`Reading ${this.connector.searched}`, found.length, found.length);
    const window = this.connector.windowAfter ? this.connector.windowAfter(found) : found.reduce<string | undefined>((max, r) => (r.digest || (max !== undefined && r.updated <= max) ? max : r.updated), undefined);
    if (held && window !== undefined) held.bookkeeping!.values[keys.window] = window;
    if (held) batch.push(held);
    else if (window !== undefined && !this.opts.dryRun) book.set({ [keys.window]: window });
    if (!this.opts.dryRun) book.set(seen);
    if (batch.length) yield batch;
  }

  summary(): SyncSummary {
    return { records: this.built?.counts() ?? {}, requests: this.connector.requests(), notices: this.context?.notices ?? [] };
  }

  async close(): Promise<void> {
    await this.connector.close?.();
  }
}
