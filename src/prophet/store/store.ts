import type { Properties } from '../model/types.js';
import type { Write } from '../model/write-state.js';
import type { TextMatches } from './text-matches.js';

/** Changeset kinds as stored. */
export const ChangesetKind = { Normal: 0, Nullification: 1, Resolution: 2 } as const;
export type ChangesetKind = (typeof ChangesetKind)[keyof typeof ChangesetKind];

export interface ChangesetRow {
  seq: number;
  origin_uuid: string;
  origin_seq: number;
  created: string;
  kind: ChangesetKind;
  hash: string;
  body: string;
  /** The author's signature of `body` (`model/signature.ts`), not part of the hashed content; null when unsigned. */
  signature: string | null;
}

/** What appending a changeset needs: a row without its position, the signature optional. */
export type NewChangesetRow = Omit<ChangesetRow, 'seq' | 'signature'> & { signature?: string | null };

export interface RecordRow {
  luid: number;
  uuid: string;
  type: string;
  live: boolean;
  props: Properties;
}

/** A head as stored: named by the local sequence number of the changeset that wrote it. */
export type StoredHead = Write<number>;

/** A record's write state: per property (and EXISTENCE), the heads standing, the shown one first. */
export type RecordHeads = Record<string, StoredHead[]>;

/** What a write leaves a record as: its existence, shown values and heads. */
export interface RecordWriteState {
  live: boolean;
  props: Properties;
  heads: RecordHeads;
}

/**
 * How many characters of a value the property index holds. Its lookups,
 * sorts and counts are of short values (statuses, dates, owners, ids); a
 * longer value is found and counted by its first characters, and whoever
 * needs it whole tests the record's own, as a sort does between values
 * that share them. 37 is the least that still holds every UUID (36) whole,
 * so a lookup by one is answered by the index alone. Summaries and
 * descriptions were a third of the index at 256 (issue 16).
 */
export const INDEXED_CHARS = 37;

/** `indexedValue` in SQL, for SQLite and PostgreSQL alike (both count characters). */
export const indexedValueSql = (value: string) => `substr(${value}, 1, ${INDEXED_CHARS})`;

/** The value as the property index holds it: its first INDEXED_CHARS characters, counted as SQLite's substr counts them (code points). */
export function indexedValue(value: string): string {
  if (value.length <= INDEXED_CHARS) return value;
  const chars = Array.from(value);
  return chars.length <= INDEXED_CHARS ? value : chars.slice(0, INDEXED_CHARS).join('');
}

/**
 * Which records a search may narrow to through the property index: the
 * property holds one of `values`, or a value from `from` (inclusive) to
 * `below` (exclusive) in text order. The index holds a value's first
 * INDEXED_CHARS characters: a longer value is matched by those.
 */
export type IndexedFilter = { name: string; values: string[] } | { name: string; from?: string; below?: string };

/** Index entries: `luids[i]` holds `values[i]`, as the property index keeps it (indexedValue). */
export interface IndexEntries {
  luids: number[];
  values: string[];
}

/** One key of a page's order: a property's value (missing values first unless `missingLast`), or its rank in a list of values. */
export interface OrderKey {
  name: string;
  /** Values in this order first, then the others by value. */
  rank?: string[];
  missingLast?: boolean;
}

export interface PageRequest {
  filters: IndexedFilter[];
  /** Only these records (luids), when a filter could not be expressed as an IndexedFilter. */
  among?: number[];
  order: OrderKey[];
  /** Reverses the whole order, ties (by local id) included. */
  descending: boolean;
  offset: number;
  /** The most records to return; -1 for all of them. */
  limit: number;
}

/** Records of `type` whose text counts for the record of type `owner` their property `prop` names (a comment's for its ticket). */
export interface TextSource {
  owner: string;
  type: string;
  prop: string;
}

/** What a transaction about to begin will read: records by uuid, changesets by origin. */
export interface ExpectedReads {
  records: readonly string[];
  changesets: ReadonlyArray<{ uuid: string; seq: number }>;
}

/**
 * The storage engine interface. One replica's tables; everything a
 * replica handle needs and nothing about records' meaning.
 */
export interface Store {
  transaction<T>(fn: () => T): T;
  /**
   * Reads the next transaction will make, told before it begins: an engine
   * whose every read is a round trip (PostgreSQL's) makes them all with its
   * BEGIN; one whose reads are cheap (SQLite's) has no need of this.
   */
  expect?(reads: ExpectedReads): void;

  /**
   * `keepable`: the value is read at every request and written seldom (a
   * server's tokens, its trust policy). An engine whose every read is a
   * round trip (PostgreSQL's) may then keep it until a write to it commits
   * anywhere (docs/hub.md, "What a process keeps").
   */
  getMeta(key: string, keepable?: boolean): string | undefined;
  setMeta(key: string, value: string): void;
  deleteMeta(key: string): void;
  allMeta(): Array<[string, string]>;

  getMergeTicket(replicaUuid: string): number;
  setMergeTicket(replicaUuid: string, seq: number): void;
  allMergeTickets(): Array<[string, number]>;

  latestSeq(): number;
  countChangesets(): number;
  appendChangeset(row: NewChangesetRow): number;
  changesetBySeq(seq: number): ChangesetRow | undefined;
  seqOfOrigin(originUuid: string, originSeq: number): number | undefined;
  /** Changesets with seq in [from, to], ascending, read lazily. */
  changesetsBetween(from: number, to: number): IterableIterator<ChangesetRow>;

  recordByUuid(uuid: string): RecordRow | undefined;
  recordByLuid(luid: number): RecordRow | undefined;
  uuidsWithPrefix(prefix: string, limit: number): string[];
  /**
   * Adds a record (by default with no state: not live, no properties) and
   * returns its local id. An `internal` record (Prophet's own, such as a
   * database setting) takes a negative local id, so the user's records
   * number 1, 2, 3... from the start.
   */
  insertRecord(uuid: string, type: string, state?: RecordWriteState, internal?: boolean): number;
  /** A record with its write state, in one read, for applying a change to it. */
  recordWithHeads(uuid: string): (RecordRow & { heads: RecordHeads }) | undefined;
  /**
   * Saves a record's new state; `changed` names the properties whose shown
   * value changed, and EXISTENCE when the record was deleted or restored,
   * for the search index.
   */
  saveRecord(luid: number, state: RecordWriteState, changed: readonly string[]): void;
  liveRecords(type: string): RecordRow[];
  /** Live records of a type matching every filter (each: the property holds one of the values). */
  liveRecordsWhere(type: string, filters: IndexedFilter[]): RecordRow[];
  /**
   * The property index's entries passing a filter among live records of a
   * type, as parallel lists of local ids and (indexed, so maybe cut short)
   * values, no record read: for conditions the values alone decide.
   */
  liveIndexEntries(type: string, filter: IndexedFilter): IndexEntries;
  /** The property index's entries of property `name` of these records (those that have it), in no particular order. */
  indexEntriesOf(name: string, luids: readonly number[]): IndexEntries;
  /** One page of live records of a type, in an order, and how many there are in all (see RecordPage). */
  liveRecordPage(type: string, request: PageRequest): { total: number; records: RecordRow[] };
  /**
   * The records whose text counts for others' in full-text searches. Kept
   * in the file, so every program writing it keeps the index alike whether
   * or not it knows the app; a change rebuilds that part of the index.
   */
  useTextSources(sources: readonly TextSource[]): void;
  /**
   * Full-text matches of an FTS5 phrase among live records of `type`, by
   * their own text or by that of their live sources (`useTextSources`):
   * once per record, in local id order, with their ranks. A lower
   * rank is a better match; only a record's own text is ranked (with
   * `ranked`), a match through its sources ranks 0.
   */
  textMatches(phrase: string, type: string, ranked: boolean): TextMatches;
  /** A page of `textMatches(phrase, type, true)`, best first (last when `descending`, ties by local id), and how many there are: without ranking them all. */
  textPage(phrase: string, type: string, descending: boolean, offset: number, limit: number): { luids: number[]; total: number };
  /** `textMatches` among the given live records of one type only: for when other criteria have narrowed them to few. */
  textMatchesAmong(phrase: string, luids: readonly number[], type: string, ranked: boolean): TextMatches;
  /** The distinct values of a property over the live records of a type. */
  liveValues(type: string, prop: string): string[];
  /** The live records of `type` among these local ids, in local id order. */
  liveRecordsByLuid(type: string, luids: readonly number[]): RecordRow[];
  /** How many live records of a type matching every filter hold each value of the properties `names`: [name, value, count] rows. */
  liveValueCounts(type: string, names: string[], filters: IndexedFilter[]): Array<[string, string, number]>;
  liveTypes(): string[];
  countLive(type?: string): number;

  heads(luid: number, name: string): StoredHead[];
  /** Properties (and EXISTENCE) whose writes are concurrent. */
  conflictedProps(luid: number): string[];

  /**
   * Stops keeping the search index (property values, type lists) for a bulk
   * load into an empty replica; `restoreIndexes`, or the next open after a
   * load cut short, rebuilds it from the records in one pass.
   */
  suspendIndexes(): void;
  restoreIndexes(): void;

  noteRecordChange(luid: number, seq: number): void;
  changeSeqsOfRecord(luid: number): number[];
}

export { EXISTENCE } from '../model/write-state.js';
