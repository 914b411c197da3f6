/**
 * A native replica as a merge target: the source's changesets integrated
 * in transactions of many, conflicts found by the write rule and settled
 * by the resolver chain, the resolution database committed with the first
 * batch so a refused batch leaves both databases as they were.
 */
import { changesetId } from '../model/changeset.js';
import { ProphetError } from '../model/errors.js';
import type { Replica } from '../replica/replica.js';
import { Integrator, NeedsAnswers } from './integrate.js';
import type { ChangesetEntry } from './source.js';
import { emptyPhase, type ChangesetTarget, type Incoming, type IncomingLog, type IntegrateOptions, type IntegrationReport, type MergeProgress, type PhaseReport, type TargetIdentity, type TargetTickets } from './target.js';
import { TicketBook, verifyEntry } from './tickets.js';
import { TrustPolicy } from './trust.js';

const DEFAULT_BATCH = 2000;
const BULK_BATCH = 20_000;
const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024;

export class ReplicaTarget implements ChangesetTarget {
  readonly description: string;

  constructor(
    private readonly replica: Replica,
    opts: { description?: string; /** Closing the target closes the replica. */ owner?: boolean } = {},
  ) {
    this.description = opts.description ?? replica.root;
    this.owner = !!opts.owner;
  }

  private readonly owner: boolean;

  async close(): Promise<void> {
    if (this.owner) this.replica.close();
  }

  async identity(): Promise<TargetIdentity> {
    const r = this.replica;
    return { replica: { uuid: r.uuid, databaseUuid: r.databaseUuid }, resolutions: { uuid: r.resdb.uuid, databaseUuid: r.resdb.databaseUuid } };
  }

  async tickets(source: { replica: string; resolutions?: string }): Promise<TargetTickets> {
    return this.replica.mergeTicketsFor(source);
  }

  async integrate(incoming: Incoming, opts: IntegrateOptions): Promise<IntegrationReport> {
    if (opts.dryRun) {
      const resolutions = incoming.resolutions && (await dryRun(incoming.resolutions, this.replica.resdb, incoming.description, 'resolutions', opts));
      return { resolutions, changesets: await dryRun(incoming.changesets, this.replica, incoming.description, 'changesets', opts), conflicts: [] };
    }
    // A new target nobody else writes to (a clone) is loaded in bulk: query
    // indexes are built once at the end rather than kept up to date row by
    // row, in bigger transactions.
    const bulk = !!opts.bulkLoad && this.replica.latestSequenceNo() === 0;
    const trust = TrustPolicy.of(this.replica);
    // A replica that requires trusted signatures takes a merge whole or not at all: one transaction, so a refusal applies nothing.
    const batch = trust ? { count: Infinity, bytes: Infinity } : { count: opts.batchSize ?? (bulk ? BULK_BATCH : DEFAULT_BATCH), bytes: opts.batchBytes ?? DEFAULT_BATCH_BYTES };
    if (bulk) this.replica.beginBulkLoad();
    try {
      return await this.integrateLogs(incoming, opts, batch, trust);
    } finally {
      if (bulk) this.replica.endBulkLoad();
    }
  }

  private async integrateLogs(incoming: Incoming, opts: IntegrateOptions, batch: Batch, trust: TrustPolicy | undefined): Promise<IntegrationReport> {
    const { replica } = this;
    // The votes must be known before the first conflict, and they commit
    // with the first batch: read the (small) resolution log whole first.
    const votes = incoming.resolutions ? await readAll(incoming.resolutions, 'resolutions', opts) : [];
    const voteIntegrator = () => new Integrator(replica.resdb, incoming.resolutions?.uuid ?? '', { handleConflicts: false, canAsk: false, description: incoming.description, trust });
    const integrator = new Integrator(replica, incoming.changesets.uuid, {
      handleConflicts: true,
      prefer: opts.prefer,
      canAsk: !!opts.prompt,
      description: incoming.description,
      trust,
    });
    const entries = new EntryBuffer(incoming.changesets.batches);
    let done = 0;
    let committedVotes: Integrator | undefined;
    for (let first = true; ; first = false) {
      // Read a batch ahead, so a transaction can run on past its batch while a conflict waits for the source's resolution.
      const window = await entries.fill({ count: 2 * batch.count, bytes: 2 * batch.bytes });
      const withVotes = first && votes.length > 0;
      if (!window.length && !withVotes) break;
      const { consumed, votes: counted } = await this.runChunk(integrator, window, entries.within(batch), withVotes ? { entries: votes, integrator: voteIntegrator } : undefined, opts);
      committedVotes ??= counted;
      entries.drop(consumed);
      done += consumed;
      opts.onProgress?.({ phase: 'changesets', done, total: incoming.changesets.total });
    }
    const phase = (uuid: string, counted: Integrator | undefined) => ({ ...emptyPhase(uuid), integrated: counted?.integrated ?? 0, skipped: counted?.skipped ?? 0 });
    return {
      resolutions: incoming.resolutions && phase(incoming.resolutions.uuid, committedVotes),
      changesets: phase(incoming.changesets.uuid, integrator),
      conflicts: integrator.conflicts,
    };
  }

  /**
   * One transaction of the merge, asked again with the user's answers when
   * a conflict needs them. The first carries the votes, integrated afresh
   * on each attempt so a rolled-back attempt's counts go with it.
   */
  private async runChunk(
    integrator: Integrator,
    window: readonly ChangesetEntry[],
    batch: number,
    votes: { entries: ChangesetEntry[]; integrator: () => Integrator } | undefined,
    opts: IntegrateOptions,
  ): Promise<{ consumed: number; votes?: Integrator }> {
    for (;;) {
      const voting = votes?.integrator();
      try {
        const consumed = integrator.runChunk(window, batch, voting && (() => voting.runChunk(votes!.entries, votes!.entries.length)));
        return { consumed, votes: voting };
      } catch (err) {
        if (!(err instanceof NeedsAnswers)) throw err;
        for (const question of err.questions) {
          const answer = await opts.prompt!(question);
          if (!answer) throw new ProphetError(`the conflict on ${question.conflict.record_type} ${question.conflict.record_uuid} was not resolved; nothing of this batch was written`, 'conflict');
          integrator.answers.set(question.conflict.fingerprint, answer);
        }
      }
    }
  }
}

async function readAll(log: IncomingLog, phase: MergeProgress['phase'], opts: IntegrateOptions): Promise<ChangesetEntry[]> {
  const all: ChangesetEntry[] = [];
  for await (const batch of log.batches) {
    all.push(...batch);
    opts.onProgress?.({ phase, done: all.length, total: log.total });
  }
  return all;
}

/** What a merge would integrate, verified, with nothing written. */
async function dryRun(log: IncomingLog, target: Replica, description: string, phase: MergeProgress['phase'], opts: IntegrateOptions): Promise<PhaseReport> {
  const report = emptyPhase(log.uuid);
  const tickets = new TicketBook(target, target.uuid);
  const trust = TrustPolicy.of(target);
  let done = 0;
  for await (const batch of log.batches) {
    for (const e of batch) {
      done++;
      if (tickets.hasSeen(e)) {
        report.skipped++;
        continue;
      }
      const where = `changeset ${e.sequence_no} of ${description}`;
      const { content, body, signature } = verifyEntry(e, where);
      tickets.raise(content.original_source_uuid, content.original_sequence_no);
      if (content.is_nullification || !Object.keys(content.changes).length) report.skipped++;
      else {
        trust?.check(content, body, signature, where);
        report.wouldMerge.push({ id: changesetId(content.original_source_uuid, content.original_sequence_no), sequence_no: e.sequence_no, creator: content.creator, created: content.created, records: Object.keys(content.changes).length });
      }
    }
    opts.onProgress?.({ phase, done, total: log.total });
  }
  return report;
}

/** A limit on changesets held or written at once: so many, or so many bytes of bodies, whichever comes first. */
interface Batch {
  count: number;
  bytes: number;
}

/**
 * The source's batches as one stream, with a window that can be read ahead
 * and consumed from the front. Bounded in bytes as well as in entries, so
 * its memory follows the batch, not the log's length.
 */
class EntryBuffer {
  private buffer: ChangesetEntry[] = [];
  private bytes = 0;
  private readonly iterator: AsyncIterator<ChangesetEntry[]>;
  private done = false;

  constructor(batches: AsyncIterable<ChangesetEntry[]>) {
    this.iterator = batches[Symbol.asyncIterator]();
  }

  async fill(limit: Batch): Promise<readonly ChangesetEntry[]> {
    while (!this.done && this.buffer.length < limit.count && this.bytes < limit.bytes) {
      const r = await this.iterator.next();
      if (r.done) this.done = true;
      else {
        this.buffer.push(...r.value);
        for (const e of r.value) this.bytes += e.body.length;
      }
    }
    return this.buffer;
  }

  /** How many entries from the front fit in `limit`: at least one, so a changeset bigger than the limit still goes through. */
  within(limit: Batch): number {
    let bytes = 0;
    let n = 0;
    while (n < this.buffer.length && n < limit.count) {
      bytes += this.buffer[n]!.body.length;
      if (n > 0 && bytes > limit.bytes) break;
      n++;
    }
    return Math.max(n, 1);
  }

  drop(n: number): void {
    for (const e of this.buffer.slice(0, n)) this.bytes -= e.body.length;
    this.buffer = this.buffer.slice(n);
  }
}
