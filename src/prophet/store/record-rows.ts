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

export function toRecord(raw: RawRecord | undefined): RecordRow | undefined {
  if (!raw) return undefined;
  return { luid: raw.luid, uuid: raw.uuid, type: raw.type, live: raw.live === 1, props: JSON.parse(raw.props) as Properties };
}

/** What reading a record needs: everything but its write state, which only applying a change reads. */
export const READ_COLUMNS = 'luid, uuid, type, live, props';

