/**
 * A replica on the local filesystem as a changeset source: its log read in
 * batches straight from its database, its resolution database alongside.
 */
import { Replica, type OpenOptions } from '../replica/replica.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from '../sync/source.js';
import { PACK_MAX_BYTES } from './pack.js';
import { rowToEntry } from './published-log.js';

/** A batch closes at this many changesets or, as a pack does, past this many bytes of bodies. */
const BATCH = 1000;
const BATCH_BYTES = PACK_MAX_BYTES;

export class LocalReplicaSource implements ChangesetSource {
  private constructor(
    private readonly replica: Replica,
    readonly description: string,
    /** Whether closing this source closes the replica (the main source owns it; its resolution database does not). */
    private readonly owner: boolean,
  ) {}

  /** Opens the replica at a path; `description` defaults to the path. */
  static open(path: string, opts: OpenOptions & { description?: string } = {}): LocalReplicaSource {
    return new LocalReplicaSource(Replica.open(path, opts), opts.description ?? path, true);
  }

  /** A source over a replica the caller already holds open (and closes). */
  static of(replica: Replica, description = replica.root): LocalReplicaSource {
    return new LocalReplicaSource(replica, description, false);
  }

  async identity(): Promise<ReplicaIdentity> {
    return { uuid: this.replica.uuid, databaseUuid: this.replica.databaseUuid, latestSequenceNo: this.replica.latestSequenceNo() };
  }

  resolutions(): ChangesetSource | undefined {
    if (this.replica.isResolutionDatabase) return undefined;
    return new LocalReplicaSource(this.replica.resdb, `${this.description} (resolutions)`, false);
  }

  /**
   * Each batch is read whole, so no statement stays open across the
   * consumer's awaits; it is bounded in bytes too, so big changesets (a
   * bulk import's) do not bring a thousand at once.
   */
  async *changesets(after: number): AsyncIterable<ChangesetEntry[]> {
    const latest = this.replica.latestSequenceNo();
    for (let from = after + 1; from <= latest; ) {
      const to = Math.min(from + BATCH - 1, latest);
      const batch: ChangesetEntry[] = [];
      let bytes = 0;
      for (const row of this.replica.rawChangesets(from, to)) {
        batch.push(rowToEntry(row));
        bytes += row.body.length;
        if (bytes >= BATCH_BYTES) break;
      }
      from = bytes >= BATCH_BYTES ? batch.at(-1)!.sequence_no + 1 : to + 1;
      yield batch;
    }
  }

  async close(): Promise<void> {
    if (this.owner) this.replica.close();
  }
}
