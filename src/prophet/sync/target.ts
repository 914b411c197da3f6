/**
 * The other side of the seam: what the merge engine writes into. A native
 * replica, a live server (push over HTTP) and a foreign tracker are all
 * changeset targets; the engine never knows which.
 */
import type { Preference } from './conflict.js';
import type { ConflictPrompt } from './integrate.js';
import type { ConflictReport } from './journal.js';
import type { ChangesetEntry, SyncSummary } from './source.js';

/**
 * Who a target is: its replica's and (if it keeps one) its resolution
 * database's identity. A remote target that does not say who it is before
 * it is sent something (a server taking a push) leaves the parts unknown
 * and checks the identity itself.
 */
export interface TargetIdentity {
  replica: { uuid?: string; databaseUuid?: string };
  resolutions?: { uuid?: string; databaseUuid?: string };
}

/** What a target has read of a source's two logs: its merge tickets for them. */
export interface TargetTickets {
  replica: number;
  resolutions: number;
}

/** One log of the source as the target receives it: the changesets after the target's ticket, contiguous, in batches. */
export interface IncomingLog {
  /** The source replica's (or resolution database's) uuid: the ticket key. */
  uuid: string;
  databaseUuid: string;
  /** How many changesets follow the ticket. */
  total: number;
  batches: AsyncIterable<ChangesetEntry[]>;
}

/** Everything one merge brings: the source's resolution database (votes first) and its changesets. */
export interface Incoming {
  /** For messages: where it comes from. */
  description: string;
  resolutions?: IncomingLog;
  changesets: IncomingLog;
}

export interface MergeProgress {
  phase: 'resolutions' | 'changesets';
  /** Changesets read from the source so far in this phase. */
  done: number;
  /** How many the source's log holds past the target's ticket (for an open-ended log, as far as known). */
  total: number;
  /** Shown instead of the phase, for a source's own phases ("Finding matching tickets"). */
  label?: string;
}

export interface IntegrateOptions {
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
  /**
   * Bytes of changeset bodies per transaction (default 16 MiB), whichever
   * of the two limits comes first: a bulk import's changesets hold hundreds
   * of records each, and a count alone would hold a whole log in memory.
   */
  batchBytes?: number;
  /**
   * The target is new and nobody else writes to it until this merge ends
   * (a clone being built): its query indexes are built once at the end
   * instead of row by row. Only its maker can know that; emptiness alone
   * does not say it, since another process may be filling it too.
   */
  bulkLoad?: boolean;
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

export interface IntegrationReport {
  resolutions?: PhaseReport;
  changesets: PhaseReport;
  /** Conflicts met and how each was settled. */
  conflicts: ConflictReport[];
}

export interface ChangesetTarget {
  /** A URL-ish description for messages. */
  readonly description: string;
  identity(): Promise<TargetIdentity>;
  /** What the target has seen of the source's logs, so only the rest is read. */
  tickets(source: { replica: string; resolutions?: string }): Promise<TargetTickets>;
  /**
   * Integrates what the source brings. A native target commits the
   * resolution database with the first batch of changesets, so a batch it
   * refuses leaves both untouched.
   */
  integrate(incoming: Incoming, opts: IntegrateOptions): Promise<IntegrationReport>;
  /** What the sync did in the remote's terms (a foreign tracker), once the merge is over. */
  summary?(): SyncSummary;
  close?(): Promise<void>;
}

export function emptyPhase(uuid: string): PhaseReport {
  return { uuid, integrated: 0, skipped: 0, wouldMerge: [] };
}
