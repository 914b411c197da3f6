/**
 * The merge engine: everything pull, push and clone do, over any changeset
 * source. Identity first, then the resolution database (so the peers'
 * earlier decisions are known before any conflict is met), then the
 * changesets the target has not seen, streamed in batches and integrated
 * in transactions of many changesets.
 */
import { changesetId } from '../model/changeset.js';
import { ProphetError } from '../model/errors.js';
import type { Replica } from '../replica/replica.js';
import type { Preference } from './conflict.js';
import { Integrator, NeedsAnswers, type ConflictPrompt } from './integrate.js';
import type { ConflictReport } from './journal.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from './source.js';
import { TicketBook, verifyEntry } from './tickets.js';

export interface MergeProgress {
  phase: 'resolutions' | 'changesets';
  /** Changesets read from the source so far in this phase. */
  done: number;
  /** How many the source's log holds past the target's ticket. */
  total: number;
}

export interface MergeOptions {
  /** Which side wins a conflict no earlier decision settles. */
  prefer?: Preference;
  /** Merge even though the two replicas belong to different databases. */
  force?: boolean;
  /** Verify and list what would be merged; write nothing. */
  dryRun?: boolean;
  /** Asks the user when nothing else decides a conflict. Without it, such a conflict fails the merge. */
  prompt?: ConflictPrompt;
  onProgress?: (progress: MergeProgress) => void;
  /** Changesets per transaction (default 2000). */
  batchSize?: number;
}

/** A changeset a dry run would merge. */
export interface ChangesetSummary {
  id: string;
  sequence_no: number;
  creator: string | null;
  created: string;
  records: number;
}

export interface PhaseReport {
  /** The source's (or its resolution database's) replica uuid. */
  uuid: string;
  integrated: number;
  /** Already seen, nullifications and empty changesets. */
  skipped: number;
  /** On a dry run: what would be integrated. */
  wouldMerge: ChangesetSummary[];
}

export interface MergeReport {
  source: string;
  dryRun: boolean;
  resolutions?: PhaseReport;
  changesets: PhaseReport;
  /** Conflicts met and how each was settled. */
  conflicts: ConflictReport[];
}

const DEFAULT_BATCH = 2000;
const BULK_BATCH = 20_000;

/** Refuses to merge a replica into itself, or across databases without force. */
function checkIdentity(source: ChangesetSource, id: ReplicaIdentity, target: Replica, force: boolean, what: string): void {
  if (id.uuid.toLowerCase() === target.uuid) {
    throw new ProphetError(`cannot merge ${source.description} into itself: both are ${what} ${target.uuid}`, 'identity');
  }
  if (id.databaseUuid.toLowerCase() !== target.databaseUuid && !force) {
    throw new ProphetError(
      `${source.description} is a different database (${what} database uuid ${id.databaseUuid.toLowerCase()}) from the target's (${target.databaseUuid}); use --force to merge them anyway`,
      'identity',
    );
  }
}

export async function merge(source: ChangesetSource, target: Replica, opts: MergeOptions = {}): Promise<MergeReport> {
  const identity = await source.identity();
  checkIdentity(source, identity, target, !!opts.force, 'replica');
  const resolutionSource = source.resolutions();
  let resolutions: PhaseReport | undefined;
  if (resolutionSource) {
    const resIdentity = await resolutionSource.identity();
    checkIdentity(resolutionSource, resIdentity, target.resdb, !!opts.force, 'resolution database');
    resolutions = (await mergeLog(resolutionSource, resIdentity, target.resdb, opts, 'resolutions')).report;
  }
  const { report, conflicts } = await mergeLog(source, identity, target, opts, 'changesets');
  return { source: source.description, dryRun: !!opts.dryRun, resolutions, changesets: report, conflicts };
}

async function mergeLog(
  source: ChangesetSource,
  identity: ReplicaIdentity,
  target: Replica,
  opts: MergeOptions,
  phase: MergeProgress['phase'],
): Promise<{ report: PhaseReport; conflicts: ConflictReport[] }> {
  const uuid = identity.uuid.toLowerCase();
  const after = target.store.getMergeTicket(uuid);
  const report: PhaseReport = { uuid, integrated: 0, skipped: 0, wouldMerge: [] };
  const wrap = (conflicts: ConflictReport[]) => ({ report, conflicts });
  // Nothing new: the cost of a no-op pull is the identity round trip alone.
  if (after >= identity.latestSequenceNo) return wrap([]);
  const total = identity.latestSequenceNo - after;
  const batch = opts.batchSize ?? DEFAULT_BATCH;
  const entries = new EntryBuffer(source.changesets(after));

  if (opts.dryRun) {
    const tickets = new TicketBook(target.store, target.uuid);
    let done = 0;
    for (let e = await entries.next(); e; e = await entries.next()) {
      done++;
      if (tickets.hasSeen(e)) {
        report.skipped++;
      } else {
        const { content } = verifyEntry(e, `changeset ${e.sequence_no} of ${source.description}`);
        tickets.raise(content.original_source_uuid, content.original_sequence_no);
        if (content.is_nullification || !Object.keys(content.changes).length) report.skipped++;
        else report.wouldMerge.push({ id: changesetId(content.original_source_uuid, content.original_sequence_no), sequence_no: e.sequence_no, creator: content.creator, created: content.created, records: Object.keys(content.changes).length });
      }
      if (done % batch === 0) opts.onProgress?.({ phase, done, total });
    }
    opts.onProgress?.({ phase, done, total });
    return wrap([]);
  }

  // An empty target (a clone) is a bulk load: query indexes are built once
  // at the end rather than kept up to date row by row, in bigger transactions.
  const bulk = target.store.latestSeq() === 0;
  if (bulk) target.store.suspendIndexes();
  try {
    return wrap(await integrate(entries, source, uuid, target, opts, phase, total, bulk ? (opts.batchSize ?? BULK_BATCH) : batch, report));
  } finally {
    if (bulk) target.store.restoreIndexes();
  }
}

async function integrate(
  entries: EntryBuffer,
  source: ChangesetSource,
  uuid: string,
  target: Replica,
  opts: MergeOptions,
  phase: MergeProgress['phase'],
  total: number,
  batch: number,
  report: PhaseReport,
): Promise<ConflictReport[]> {
  const integrator = new Integrator(target, uuid, {
    handleConflicts: phase === 'changesets',
    prefer: opts.prefer,
    canAsk: !!opts.prompt,
    description: source.description,
  });
  let done = 0;
  for (;;) {
    // Read a batch ahead, so a transaction can run on past its batch while a conflict waits for the source's resolution.
    const window = await entries.fill(2 * batch);
    if (!window.length) break;
    let consumed: number | undefined;
    while (consumed === undefined) {
      try {
        consumed = integrator.runChunk(window, batch);
      } catch (err) {
        if (!(err instanceof NeedsAnswers)) throw err;
        for (const question of err.questions) {
          const answer = await opts.prompt!(question);
          if (!answer) throw new ProphetError(`the conflict on ${question.conflict.record_type} ${question.conflict.record_uuid} was not resolved; nothing of this batch was written`, 'conflict');
          integrator.answers.set(question.conflict.fingerprint, answer);
        }
      }
    }
    entries.drop(consumed);
    done += consumed;
    opts.onProgress?.({ phase, done, total });
  }
  report.integrated = integrator.integrated;
  report.skipped = integrator.skipped;
  return integrator.conflicts;
}

/** The source's batches as one stream, with a window that can be read ahead and consumed from the front. */
class EntryBuffer {
  private buffer: ChangesetEntry[] = [];
  private readonly iterator: AsyncIterator<ChangesetEntry[]>;
  private done = false;

  constructor(batches: AsyncIterable<ChangesetEntry[]>) {
    this.iterator = batches[Symbol.asyncIterator]();
  }

  async fill(size: number): Promise<readonly ChangesetEntry[]> {
    while (!this.done && this.buffer.length < size) {
      const r = await this.iterator.next();
      if (r.done) this.done = true;
      else this.buffer.push(...r.value);
    }
    return this.buffer;
  }

  drop(n: number): void {
    this.buffer = this.buffer.slice(n);
  }

  async next(): Promise<ChangesetEntry | undefined> {
    await this.fill(1);
    return this.buffer.shift();
  }
}
