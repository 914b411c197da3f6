/**
 * Integrating a source's changesets into a target, one transaction per
 * run of changesets. Conflicts are found by the write rule (a write that
 * leaves heads the target held standing), nullified in the log before the
 * changeset that caused them, and, if the source's own later changesets do
 * not settle them first, resolved at the end of the transaction.
 */
import { changesetId, nowTimestamp, serializeChangeset } from '../model/changeset.js';
import { ProphetError } from '../model/errors.js';
import type { Change, ChangesetContent, Properties } from '../model/types.js';
import { EXISTENCE, isConflicted, winningHead, type Head } from '../model/write-state.js';
import type { ChangesetApplier, ConcurrentWrite } from '../replica/apply.js';
import type { Replica } from '../replica/replica.js';
import { choicesOf, decide, describeConflict, makeConflict, type Candidate, type Conflict, type Decision, type Preference, type PropertyConflict, type Value, type Vote } from './conflict.js';
import { recordDecision, votesFor } from './resolution-db.js';
import type { ChangesetEntry } from './source.js';
import { TicketBook, verifyEntry } from './tickets.js';
import { journalConflicts, type ConflictReport } from './journal.js';
import { readsOf } from './read-ahead.js';
import type { TrustPolicy } from './trust.js';

/** What the user is asked when no rule decides a conflict. */
export interface PromptQuestion {
  conflict: Conflict;
  /** The record as the target shows it now. */
  record: Properties;
  /** The record's local id in the target, by which the user knows it. */
  luid: number;
  /** Who wrote each candidate, by head id: its changeset's creator, else the replica it came from. */
  authors: Record<string, string>;
  /** What peers decided before for this fingerprint (none, or a vote the chain could not use). */
  votes: Vote[];
}

/** Returns the chosen value per property, or undefined to give up. */
export type ConflictPrompt = (question: PromptQuestion) => Promise<Record<string, Value> | undefined>;

/** No rule, vote or preference settles a conflict and nobody can be asked; the batch is rolled back. */
export class UnresolvedConflictError extends ProphetError {
  constructor(readonly conflict: string) {
    super(
      `cannot resolve the conflict on ${conflict}: no earlier decision and no preference; rerun with --prefer source|target (or PROPHET_RESOLVER=source|target) or on a terminal to choose (nothing of this batch was written)`,
      'conflict',
    );
    this.name = 'UnresolvedConflictError';
  }
}

/** Thrown out of a transaction (rolling it back) when the user must be asked; the run is repeated with the answers. */
export class NeedsAnswers extends Error {
  constructor(readonly questions: PromptQuestion[]) {
    super('the user must decide a conflict');
  }
}

/** A record whose conflict is waiting for the end of the transaction. */
interface Pending {
  record_type: string;
  /** Property name (or EXISTENCE) → every value seen among its concurrent writes. */
  names: Map<string, Set<Value>>;
  nullification: string;
  nullificationSeq: number;
  incoming: string;
}

export interface IntegratorOptions {
  /** Changesets that cannot conflict (a resolution database's records are each written by one replica) skip conflict handling. */
  handleConflicts: boolean;
  prefer?: Preference;
  canAsk: boolean;
  /** For messages: where the changesets come from. */
  description: string;
  /** The replica's trust policy, when it refuses changesets by their signatures. */
  trust?: TrustPolicy;
}

export class Integrator {
  /**
   * The target's log before this merge, read in its first transaction: under
   * the write lock, so nobody's write slips in between it and the merge.
   */
  private startSeq?: number;
  /**
   * The sequence numbers this merge wrote, one run per transaction (which
   * holds the write lock, so nothing else writes within a run); a run
   * rolled back is dropped. Any other head is the target's side of a
   * conflict, including edits other processes made between this merge's
   * transactions.
   */
  private readonly ownRuns: Array<{ from: number; to: number }> = [];
  private readonly creator: string | null;
  readonly answers = new Map<string, Record<string, Value>>();
  integrated = 0;
  skipped = 0;
  readonly conflicts: ConflictReport[] = [];

  constructor(
    private readonly target: Replica,
    private readonly sourceUuid: string,
    private readonly opts: IntegratorOptions,
  ) {
    this.creator = target.identity() ?? null;
  }

  /**
   * Integrates entries from the front of `entries` in one transaction: at
   * least `min` of them, then on while a conflict opened here still waits
   * for the source's own resolution, which follows it closely in its log.
   * Returns how many entries it consumed. `prelude` runs first in the same
   * transaction (the resolution database's changesets, which must commit
   * with the first batch or not at all).
   */
  runChunk(entries: readonly ChangesetEntry[], min: number, prelude?: () => void): number {
    const own = { from: Infinity, to: Infinity };
    this.target.expectReads(() => readsOf(entries));
    try {
      return this.target.transaction(() => {
        this.startSeq ??= this.target.latestSequenceNo();
        this.opts.trust?.restart();
        prelude?.();
        const run = new Run(this.target, this.opts.description);
        own.from = this.target.latestSequenceNo() + 1;
        this.ownRuns.push(own);
        let i = 0;
        while (i < entries.length) {
          this.process(entries[i]!, run);
          i++;
          if (i >= min && !run.waiting()) break;
        }
        this.finish(run);
        own.to = this.target.latestSequenceNo();
        run.tickets.flush();
        this.integrated += run.integrated;
        this.skipped += run.skipped;
        this.conflicts.push(...run.reports);
        return i;
      });
    } catch (err) {
      // Rolled back: those sequence numbers are free for other writers again.
      const at = this.ownRuns.indexOf(own);
      if (at >= 0) this.ownRuns.splice(at, 1);
      // Nothing of this merge committed yet: its next attempt reads the log afresh.
      if (!this.ownRuns.length) this.startSeq = undefined;
      throw err;
    }
  }

  private process(entry: ChangesetEntry, run: Run): void {
    if (entry.bookkeeping) {
      const book = this.target.metadata(entry.bookkeeping.namespace);
      for (const [key, value] of Object.entries(entry.bookkeeping.values)) book.set(key, value);
    }
    const seen = run.tickets.hasSeen(entry);
    // The source's log is read in order, so the next merge starts after this entry.
    run.tickets.raise(this.sourceUuid, entry.sequence_no);
    if (seen) {
      run.skipped++;
      return;
    }
    const where = () => `changeset ${entry.sequence_no} of ${this.opts.description}`;
    const { content, body, hash, signature } = verifyEntry(entry, where);
    run.tickets.raise(content.original_source_uuid, content.original_sequence_no);
    if (content.is_nullification || Object.keys(content.changes).length === 0) {
      run.skipped++;
      return;
    }
    this.opts.trust?.check(content, body, signature, where);
    run.integrated++;
    // An empty target (a clone) holds nothing to conflict with.
    if (!this.opts.handleConflicts || this.startSeq === 0) {
      run.applier.apply(content, body, hash, signature);
      return;
    }
    const conflicting = run.applier.concurrentWrites(content).filter((c) => c.heads.some((h) => this.isTargetHead(h, run)));
    if (!conflicting.length) {
      run.applier.apply(content, body, hash, signature);
      return;
    }
    // The nullification goes first, so the log reads as the seed's does
    // (nullification, the incoming changeset, later the resolution).
    const nullification = this.nullificationFor(content, conflicting);
    const nullificationSeq = run.applier.apply(nullification, serializeChangeset(nullification)).seq;
    run.applier.apply(content, body, hash, signature);
    run.note(conflicting, {
      nullification: changesetId(nullification.original_source_uuid, nullification.original_sequence_no),
      nullificationSeq,
      incoming: changesetId(content.original_source_uuid, content.original_sequence_no),
    });
  }

  /** Who wrote a head: its changeset's creator, or failing that the replica it came from. */
  private authorOf(h: Head, run: Run): string {
    const seq = run.applier.localSeq(h.id);
    return (seq !== undefined ? this.target.changeset(seq)?.creator : undefined) ?? h.id.slice(h.id.indexOf('@') + 1);
  }

  /** A head this merge did not write: the target's side (the incoming write itself is not in the log yet). */
  private isTargetHead(h: Head, run: Run): boolean {
    const seq = run.applier.localSeq(h.id);
    return seq !== undefined && !this.ownRuns.some((r) => seq >= r.from && seq <= r.to);
  }

  /** What the conflict undid, for the user: per property, the target's shown value back to the source's old value. Changes no state. */
  private nullificationFor(incoming: ChangesetContent, conflicting: ConcurrentWrite[]): ChangesetContent {
    const changes: Record<string, Change> = {};
    for (const c of conflicting) {
      const record = this.target.findRecord(c.record_uuid);
      const change = (changes[c.record_uuid] ??= { record_type: c.record_type, change_type: record?.live ? 'update' : 'add', pred: [], prop_changes: {} });
      if (c.name === EXISTENCE) continue;
      const old = incoming.changes[c.record_uuid]?.prop_changes[c.name]?.old_value ?? null;
      change.prop_changes[c.name] = { old_value: record?.props[c.name] ?? null, new_value: old === '' ? null : old, pred: [] };
    }
    return {
      original_source_uuid: this.target.uuid,
      original_sequence_no: this.target.latestSequenceNo() + 1,
      creator: null,
      created: nowTimestamp(),
      is_nullification: true,
      is_resolution: false,
      changes,
    };
  }

  /** Settles what the run's conflicts left standing: the chain decides, one resolution changeset writes it, the resolution database records it. */
  private finish(run: Run): void {
    const decided: Array<{ conflict: Conflict; decision: Decision; pending: Pending }> = [];
    const questions: PromptQuestion[] = [];
    for (const [uuid, pending] of run.pending) {
      const record = this.target.findRecord(uuid)!;
      // A record back from deletion brings back the conflicts met while it
      // was deleted, which nothing could settle then: they are settled now.
      if (record.live) {
        for (const name of this.target.conflictedProperties(uuid)) {
          if (!pending.names.has(name)) pending.names.set(name, new Set(this.target.heads(uuid, name, run.applier).map((h) => h.value)));
        }
      }
      const standing: PropertyConflict[] = [];
      for (const [name, seen] of pending.names) {
        const heads: Candidate[] = this.target
          .heads(uuid, name, run.applier)
          .map((h) => ({ ...h, side: this.isTargetHead(h, run) ? 'target' : 'source' }));
        const candidates = choicesOf([...seen].map((value) => ({ id: '', created: '', value })));
        const report = (how: ConflictReport['how'], chosen: Value, decidedBy: string[]) =>
          run.report(uuid, pending, { name, candidates, chosen, how, decidedBy });
        if (name === EXISTENCE) report('rule', record.live ? '1' : null, []);
        else if (heads.length === 1) report('peer', heads[0]!.value, [this.authorOf(heads[0]!, run)]);
        else if (!isConflicted(heads)) report('identical', heads[0]!.value, []);
        // A deleted record's properties show nowhere; the rule's value stands until it returns.
        else if (!record.live) report('rule', winningHead(heads)!.value, []);
        else standing.push({ name, heads });
      }
      if (!standing.length) continue;
      const conflict = makeConflict(pending.record_type, uuid, standing);
      const votes = votesFor(this.target.resdb, conflict.fingerprint);
      const decision = decide(conflict, { votes, prefer: this.opts.prefer, answers: this.answers });
      if (decision) decided.push({ conflict, decision, pending });
      else {
        const authors = Object.fromEntries(standing.flatMap((p) => p.heads).map((h) => [h.id, this.authorOf(h, run)]));
        questions.push({ conflict, record: record.props, luid: record.luid, authors, votes });
      }
    }
    if (questions.length) {
      if (this.opts.canAsk) throw new NeedsAnswers(questions);
      throw new UnresolvedConflictError(describeConflict(questions[0]!.conflict));
    }
    if (decided.length) this.resolve(decided, run);
    journalConflicts(this.target, run.reports);
  }

  private resolve(decided: Array<{ conflict: Conflict; decision: Decision; pending: Pending }>, run: Run): void {
    const resolves: Record<string, string> = {};
    const resolution = this.target.edit(
      (e) => {
        for (const { conflict, decision } of decided) {
          e.update(conflict.record_type, conflict.record_uuid, decision.values, { raw: true, rewrite: true });
          resolves[conflict.record_uuid] = conflict.fingerprint;
        }
      },
      { creator: this.creator, isResolution: true, resolves },
    );
    const resolutionId = resolution && changesetId(resolution.original_source_uuid, resolution.original_sequence_no);
    for (const { conflict, decision, pending } of decided) {
      recordDecision(this.target.resdb, conflict, decision, this.creator);
      for (const p of conflict.props) {
        run.report(conflict.record_uuid, pending, {
          name: p.name,
          candidates: choicesOf([...pending.names.get(p.name)!].map((value) => ({ id: '', created: '', value }))),
          chosen: decision.values[p.name] ?? null,
          how: decision.how,
          decidedBy: decision.decidedBy,
          fingerprint: conflict.fingerprint,
          resolution: resolutionId,
        });
      }
    }
  }
}

/** The state of one transaction's run. */
class Run {
  readonly applier: ChangesetApplier;
  readonly tickets: TicketBook;
  readonly pending = new Map<string, Pending>();
  readonly reports: ConflictReport[] = [];
  integrated = 0;
  skipped = 0;

  constructor(
    private readonly target: Replica,
    private readonly source: string,
  ) {
    this.applier = target.changesetWriter();
    this.tickets = new TicketBook(target, target.uuid);
  }

  note(conflicting: ConcurrentWrite[], ids: { nullification: string; nullificationSeq: number; incoming: string }): void {
    for (const c of conflicting) {
      let p = this.pending.get(c.record_uuid);
      if (!p) {
        p = { record_type: c.record_type, names: new Map(), ...ids };
        this.pending.set(c.record_uuid, p);
      }
      const seen = p.names.get(c.name) ?? new Set<Value>();
      for (const h of c.heads) seen.add(h.value);
      p.names.set(c.name, seen);
    }
  }

  /** Whether a conflict opened in this run still has disagreeing writes (the source's resolution may be next). */
  waiting(): boolean {
    for (const [uuid, p] of this.pending) {
      for (const name of p.names.keys()) {
        if (name !== EXISTENCE && isConflicted(this.target.heads(uuid, name, this.applier))) return true;
      }
    }
    return false;
  }

  report(uuid: string, p: Pending, row: Omit<ConflictReport, 'record_type' | 'record_uuid' | 'nullification' | 'incoming' | 'source' | 'at' | 'seq'>): void {
    this.reports.push({
      record_type: p.record_type,
      record_uuid: uuid,
      source: this.source,
      at: nowTimestamp(),
      seq: p.nullificationSeq,
      nullification: p.nullification,
      incoming: p.incoming,
      ...row,
    });
  }
}
