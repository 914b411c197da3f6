/**
 * The local journal of conflicts a merge settled without asking, so a user
 * can review (and override, by editing) what was decided for them. It is
 * local metadata, never synced: each replica reviews its own merges; the
 * decisions themselves travel as resolution changesets and votes.
 */
import type { Replica } from '../replica/replica.js';
import type { ResolutionMethod, Value } from './conflict.js';

/** One property of one conflict, as settled. */
export interface ConflictReport {
  record_type: string;
  record_uuid: string;
  /** The property; '' is the record's existence (live against deleted). */
  name: string;
  /** Every value among the concurrent writes; for existence, '1' is live and null deleted. */
  candidates: Value[];
  chosen: Value;
  how: ResolutionMethod;
  /** Whose earlier decision it followed: resolution database uuids for a vote, the replica uuid for a peer's resolution. */
  decidedBy: string[];
  fingerprint?: string;
  /** The description of the source merged from. */
  source: string;
  at: string;
  /** The local sequence number of the nullification. */
  seq: number;
  nullification: string;
  incoming: string;
  resolution?: string;
}

const NAMESPACE = 'conflict-';

function keyOf(r: ConflictReport): string {
  return `${String(r.seq).padStart(12, '0')}-${r.record_uuid}-${r.name}`;
}

/** The caller holds the transaction, so the journal commits with the merge it describes. */
export function journalConflicts(target: Replica, reports: readonly ConflictReport[]): void {
  const journal = target.metadata(NAMESPACE);
  for (const r of reports) journal.set(keyOf(r), JSON.stringify(r));
}

/** Every journalled conflict, oldest first. */
export function readJournal(replica: Replica): ConflictReport[] {
  return replica
    .metadata(NAMESPACE)
    .entries()
    .map(([, value]) => JSON.parse(value) as ConflictReport);
}
