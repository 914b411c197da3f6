import { BadDataError } from '../model/errors.js';
import { changesetId, describeWhere, verifyChangeset, type Where } from '../model/changeset.js';
import type { ChangesetContent } from '../model/types.js';
import { isWellFormedSignature } from '../model/signature.js';

/** Where a target keeps its merge tickets (a Replica is one). */
export interface MergeTicketStore {
  mergeTicket(replicaUuid: string): number;
  setMergeTicket(replicaUuid: string, seq: number): void;
}
import type { ChangesetEntry } from './source.js';

/**
 * Merge tickets as a merge sees them: the target's high-water marks plus
 * what this transaction has seen so far, written back when it commits.
 * One key per replica serves both as "read its log up to here" and "seen
 * its own changesets up to this original sequence number", because a
 * replica's own changesets carry their local sequence number as original.
 */
export class TicketBook {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly store: MergeTicketStore,
    private readonly self: string,
  ) {}

  get(replicaUuid: string): number {
    return this.seen.get(replicaUuid) ?? this.store.mergeTicket(replicaUuid);
  }

  raise(replicaUuid: string, seq: number): void {
    if (replicaUuid !== this.self && seq > this.get(replicaUuid)) this.seen.set(replicaUuid, seq);
  }

  /** Seen already: the target's own changeset, or one its ticket for the author covers. Decided from the index entry alone. */
  hasSeen(entry: ChangesetEntry): boolean {
    const origin = entry.original_source_uuid.toLowerCase();
    return origin === this.self || this.get(origin) >= entry.original_sequence_no;
  }

  flush(): void {
    for (const [uuid, seq] of this.seen) this.store.setMergeTicket(uuid, seq);
    this.seen.clear();
  }
}

export interface VerifiedChangeset {
  content: ChangesetContent;
  /** The canonical serialisation, as stored and sent on. */
  body: string;
  hash: string;
  signature?: string;
}

/**
 * Checks an entry from a peer before anything of it is written: its shape,
 * its content hash, and that its index entry tells the truth about it.
 */
export function verifyEntry(entry: ChangesetEntry, where: Where): VerifiedChangeset {
  const content = verifyChangeset(entry.body, entry.hash, where);
  const claimed = changesetId(entry.original_source_uuid.toLowerCase(), entry.original_sequence_no);
  const actual = changesetId(content.original_source_uuid, content.original_sequence_no);
  if (claimed !== actual) throw new BadDataError(`${describeWhere(where)}: it is listed as changeset ${claimed} but its content is ${actual}`);
  // Only the shape here: whether it matches the bytes costs a signature check, made when the trust policy needs it or when shown.
  if (entry.signature !== undefined && !isWellFormedSignature(entry.signature)) throw new BadDataError(`${describeWhere(where)}: changeset ${actual} carries a malformed signature`);
  return { content, body: entry.body, hash: entry.hash, signature: entry.signature };
}
