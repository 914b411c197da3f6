/**
 * The seam between the merge engine and the transports. A local replica, a
 * published folder over HTTP, a live server, a bundle file and a foreign
 * tracker are all changeset sources to the engine; it never knows which.
 */

/** Who a replica is and how long its log is: one round trip. */
export interface ReplicaIdentity {
  /** The replica uuid. A published copy keeps its replica's uuid. */
  uuid: string;
  databaseUuid: string;
  latestSequenceNo: number;
}

/** One changeset as it travels: enough to skip it unread, and its exact bytes to verify. */
export interface ChangesetEntry {
  /** Its position in the source's log. */
  sequence_no: number;
  original_source_uuid: string;
  original_sequence_no: number;
  /** SHA-256 of `body`; the target recomputes it before writing anything. */
  hash: string;
  /** The canonical JSON of the changeset content. */
  body: string;
  /** The author's signature of `body`, relayed as received; absent when the changeset is unsigned. */
  signature?: string;
}

export interface ChangesetSource {
  /** A URL-ish description for messages ("/tmp/a", "http://host/x"). */
  readonly description: string;
  identity(): Promise<ReplicaIdentity>;
  /** The source's resolution database, itself a source; absent for sources without one. */
  resolutions(): ChangesetSource | undefined;
  /**
   * The changesets after local sequence number `after`, oldest first, in
   * batches. Implementations fetch in batches, never one request each.
   */
  changesets(after: number): AsyncIterable<ChangesetEntry[]>;
  close?(): Promise<void>;
}
