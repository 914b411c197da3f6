import type { Properties } from '../model/types.js';
import type { RecordRow } from './store.js';

/** A record's row as SQLite hands it back. */
export interface RawRecord {
  luid: number;
  uuid: string;
  type: string;
  live: number;
  props: string;
  /** Only in the rows read to apply a change. */
  heads: string;
}

/** The record a row holds; `decode` reads its properties (RecordShapes). */
export function toRecord(raw: RawRecord | undefined, decode: (props: string) => Properties): RecordRow | undefined {
  if (!raw) return undefined;
  return { luid: raw.luid, uuid: raw.uuid, type: raw.type, live: raw.live === 1, props: decode(raw.props) };
}

/** What reading a record needs: everything but its write state, which only applying a change reads. */
export const READ_COLUMNS = 'luid, uuid, type, live, props';

