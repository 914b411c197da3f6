/** A record's properties. Values are never empty: an empty value means "absent". */
export type Properties = Record<string, string>;

export type ChangeType = 'add' | 'update' | 'delete';

/**
 * One property write. `pred` names the changesets whose writes of this
 * property the author saw and replaced; two writes that did not see each
 * other are concurrent, which is exactly what a conflict is.
 */
export interface PropChange {
  old_value: string | null;
  new_value: string | null;
  pred: string[];
}

/**
 * One record's part of a changeset. `pred` names the changesets whose
 * writes of the record's existence (add, update, delete) the author saw.
 */
export interface Change {
  record_type: string;
  change_type: ChangeType;
  pred: string[];
  prop_changes: Record<string, PropChange>;
  /** On resolution changes: the fingerprint of the conflict they settle. */
  resolves?: string;
}

/** What travels and what the content hash covers. */
export interface ChangesetContent {
  original_source_uuid: string;
  original_sequence_no: number;
  creator: string | null;
  created: string;
  is_nullification: boolean;
  is_resolution: boolean;
  /** Keyed by record uuid: one change per record per changeset. */
  changes: Record<string, Change>;
}

/** A changeset as one replica holds it. */
export interface Changeset extends ChangesetContent {
  /** Position in this replica's log; not part of the content. */
  sequence_no: number;
  hash: string;
  /** The author's signature of the serialised content (`model/signature.ts`); absent when unsigned. Not part of the content. */
  signature?: string;
}

export interface RecordState {
  luid: number;
  uuid: string;
  type: string;
  props: Properties;
}

/**
 * Record types named `__...` are Prophet's own (database settings), not an
 * application's: they take no positive local id and front ends refuse to
 * edit them directly.
 */
export function isInternalType(type: string): boolean {
  return type.startsWith('__');
}
