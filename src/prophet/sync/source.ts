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
  /**
   * The log's length is known only as it is read (a foreign tracker, whose
   * history is rewound record by record as the merge goes): it ends where
   * the stream ends, not at `latestSequenceNo`.
   */
  openEnded?: boolean;
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
  /**
   * Local metadata a native target writes in the same transaction as this
   * entry (a foreign tracker's bookkeeping: which remote transaction it
   * stands for, whose value the remote holds). Set only by sources that
   * run in this process; it never travels.
   */
  bookkeeping?: Bookkeeping;
}

/** Key/values for one metadata namespace of the target replica. */
export interface Bookkeeping {
  namespace: string;
  values: Record<string, string>;
}

/** What a sync did besides changesets, in the remote's terms (a foreign tracker's records and requests). */
export interface SyncSummary {
  /** Records brought or sent, by record type. */
  records: Record<string, number>;
  /** HTTP requests made to the remote. */
  requests: number;
  /** One line each: what could not be mapped and was skipped. */
  notices: string[];
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
  /**
   * A foreign tracker: it brings no database settings, so a clone from it
   * starts with the app's defaults, and it keeps its bookkeeping in the
   * replica it is merged into.
   */
  readonly foreign?: boolean;
  /**
   * Changesets per transaction the source asks for: one whose entries are
   * costly to make (a foreign tracker's, a request or more per record)
   * asks for small transactions, so a merge cut short keeps most of what
   * it fetched.
   */
  readonly batchSize?: number;
  /** What the sync did in the remote's terms, once the merge is over. */
  summary?(): SyncSummary;
  close?(): Promise<void>;
}
