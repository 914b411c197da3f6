import type { Properties } from '../../model/types.js';
import { conflictedNames, decodeHeads, encodeHeads } from '../record-heads.js';
import { STALE_INDEX_KEY, TEXT_SOURCES_KEY, type TablePrefix } from '../schema.js';
import { sameTextSources, textSourcesKey } from '../full-text.js';
import { EXISTENCE, indexedValue, indexedValueSql, type ChangesetKind, type ChangesetRow, type ExpectedReads, type IndexedFilter, type IndexEntries, type NewChangesetRow, type PageRequest, type RecordHeads, type RecordRow, type RecordWriteState, type Store, type StoredHead, type TextSource } from '../store.js';
import type { TextMatches } from '../text-matches.js';
import type { PgConnection } from './pg-connection.js';
import { indexEntriesOf, liveIndexEntries, livePage, liveRecordsWhere, liveValueCounts } from './pg-property-queries.js';
import { asMatches, documentOf, matchesSql, pageOf, queryOf } from './pg-full-text.js';
import { migrate } from './pg-schema.js';
import { MetadataCache } from './pg-metadata-cache.js';
import { LOCKED_READS, originKey, ReadsAhead, type LockedReads } from './pg-read-ahead.js';

/** Rows of the log read per round trip while iterating it. */
const PAGE = 1000;

const CHANGESET_COLUMNS = 'seq, origin_uuid, origin_seq, created, kind, hash, body, signature';
const RECORD_COLUMNS = 'luid, uuid, type, live, props';

function toChangeset(r: unknown[]): ChangesetRow {
  return { seq: r[0] as number, origin_uuid: r[1] as string, origin_seq: r[2] as number, created: r[3] as string, kind: r[4] as ChangesetKind, hash: r[5] as string, body: r[6] as string, signature: r[7] as string | null };
}

function toRecord(r: unknown[]): RecordRow {
  return { luid: r[0] as number, uuid: r[1] as string, type: r[2] as string, live: r[3] as boolean, props: JSON.parse(r[4] as string) as Properties };
}

/**
 * The PostgreSQL engine (issue 15; docs/hub.md): one replica's tables in a
 * PostgreSQL database, addressed through a prefix as in SQLite, behind the
 * same synchronous Store (PgConnection blocks on a worker thread).
 */
export class PostgresStore implements Store {
  /** Whether the property index is kept write by write (off during a bulk load). */
  private indexing: boolean;
  /** For searches and filters, whose plans depend on their values: never prepared. */
  private readonly query = (sql: string, params: unknown[]) => this.q(sql, params, false);
  private readonly keptMetadata: MetadataCache;

  constructor(
    private readonly conn: PgConnection,
    private readonly p: TablePrefix,
  ) {
    migrate(conn, p);
    this.keptMetadata = new MetadataCache(conn);
    conn.readAtBegin((param) => this.ahead.atBegin(p, param, (reads) => (this.reads = { generation: conn.lockedGeneration!, ...reads })));
    // A bulk load cut short left the index incomplete: rebuild it.
    this.indexing = true;
    if (this.getMeta(STALE_INDEX_KEY)) this.restoreIndexes();
  }

  /**
   * What this transaction read with its BEGIN, or read and wrote since,
   * kept while it holds the write lock (PgConnection.lockedGeneration): a
   * push asks for the same things several times, and each ask is a round trip.
   */
  private locked(): LockedReads | undefined {
    const generation = this.conn.lockedGeneration;
    if (generation === undefined) return undefined;
    if (this.reads?.generation !== generation) this.reads = { generation, tickets: new Map(), records: new Map(), origins: new Map() };
    return this.reads;
  }
  private reads?: LockedReads;
  private readonly ahead = new ReadsAhead();

  expect(reads: ExpectedReads): void {
    this.ahead.expect(reads);
  }

  /** The scalar subquery reading one merge ticket, for a statement that reads several (readMergeTickets). */
  ticketRead(placeholder: string): string {
    return `(SELECT seq FROM ${this.p}merge_tickets WHERE replica_uuid = ${placeholder})`;
  }

  /** A ticket read outside a transaction: expected again under the lock of the next one. */
  expectTicket(uuid: string): void {
    this.ahead.noteTicket(uuid);
  }

  /** This store's own statements, point reads and writes by key, are prepared: a push makes the same dozen again and again. */
  private q(sql: string, params: unknown[] = [], prepared = true): unknown[][] {
    return this.conn.query(sql.replaceAll('$_', this.p), params, prepared);
  }
  /** A write whose answer nobody needs: inside a transaction, sent with the next statement (PgConnection.defer). */
  private later(sql: string, params: unknown[]): void {
    this.conn.defer(sql.replaceAll('$_', this.p), params, true);
  }
  private v<T>(sql: string, params: unknown[] = []): T | undefined {
    return this.q(sql, params)[0]?.[0] as T | undefined;
  }

  /** One transaction under the database's write lock; nested calls are savepoints (PgConnection.transaction). */
  transaction<T>(fn: () => T): T {
    return this.conn.transaction(fn);
  }

  getMeta(key: string, keepable = false): string | undefined {
    const k = key.toLowerCase();
    const read = () => this.v<string>('SELECT value FROM $_metadata WHERE key = $1', [k]);
    return keepable ? this.keptMetadata.get(k, read) : read();
  }
  setMeta(key: string, value: string): void {
    this.q('INSERT INTO $_metadata (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key.toLowerCase(), value]);
    this.conn.wroteMetadata();
  }
  deleteMeta(key: string): void {
    this.q('DELETE FROM $_metadata WHERE key = $1', [key.toLowerCase()]);
    this.conn.wroteMetadata();
  }
  allMeta(): Array<[string, string]> {
    return this.q('SELECT key, value FROM $_metadata ORDER BY key') as Array<[string, string]>;
  }

  getMergeTicket(replicaUuid: string): number {
    const uuid = replicaUuid.toLowerCase();
    const kept = this.locked()?.tickets;
    const known = kept?.get(uuid);
    if (known !== undefined) return known;
    const seq = this.v<number>('SELECT seq FROM $_merge_tickets WHERE replica_uuid = $1', [uuid]) ?? 0;
    if (kept) kept.set(uuid, seq);
    else this.expectTicket(uuid);
    return seq;
  }
  setMergeTicket(replicaUuid: string, seq: number): void {
    const uuid = replicaUuid.toLowerCase();
    this.later('INSERT INTO $_merge_tickets (replica_uuid, seq) VALUES ($1, $2) ON CONFLICT (replica_uuid) DO UPDATE SET seq = excluded.seq', [uuid, seq]);
    this.locked()?.tickets.set(uuid, seq);
  }
  allMergeTickets(): Array<[string, number]> {
    return this.q('SELECT replica_uuid, seq FROM $_merge_tickets ORDER BY replica_uuid') as Array<[string, number]>;
  }

  latestSeq(): number {
    const kept = this.locked();
    if (kept?.latest !== undefined) return kept.latest;
    const latest = this.v<number>('SELECT COALESCE(MAX(seq), 0) FROM $_changesets')!;
    if (kept) kept.latest = latest;
    return latest;
  }
  countChangesets(): number {
    return this.v<number>('SELECT COUNT(*) FROM $_changesets')!;
  }
  /** At the next sequence number: hub writers hold the database's lock (docs/hub.md), so the log has no gaps. */
  appendChangeset(row: NewChangesetRow): number {
    const kept = this.locked();
    const values = [row.origin_uuid, row.origin_seq, row.created, row.kind, row.hash, row.body, row.signature ?? null];
    let seq: number;
    if (kept?.latest !== undefined) {
      seq = ++kept.latest;
      this.later(`INSERT INTO $_changesets (${CHANGESET_COLUMNS}) VALUES ($8, $1, $2, $3, $4, $5, $6, $7)`, [...values, seq]);
    } else {
      seq = this.v<number>(`INSERT INTO $_changesets (${CHANGESET_COLUMNS}) SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5, $6, $7 FROM $_changesets RETURNING seq`, values)!;
      if (kept) kept.latest = seq;
    }
    kept?.origins.set(originKey(row.origin_uuid, row.origin_seq), seq);
    return seq;
  }
  changesetBySeq(seq: number): ChangesetRow | undefined {
    const row = this.q(`SELECT ${CHANGESET_COLUMNS} FROM $_changesets WHERE seq = $1`, [seq])[0];
    return row && toChangeset(row);
  }
  seqOfOrigin(originUuid: string, originSeq: number): number | undefined {
    const kept = this.locked()?.origins;
    const key = originKey(originUuid, originSeq);
    if (kept?.has(key)) return kept.get(key);
    return this.v<number>('SELECT seq FROM $_changesets WHERE origin_uuid = $1 AND origin_seq = $2', [originUuid, originSeq]);
  }
  /** Read a page at a time, so a long log costs a round trip per PAGE changesets and no more memory than a page. */
  *changesetsBetween(from: number, to: number): IterableIterator<ChangesetRow> {
    let next = from;
    for (;;) {
      const rows = this.q(`SELECT ${CHANGESET_COLUMNS} FROM $_changesets WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT ${PAGE}`, [next, to]);
      for (const row of rows) yield toChangeset(row);
      if (rows.length < PAGE) return;
      next = (rows[rows.length - 1]![0] as number) + 1;
    }
  }

  recordByUuid(uuid: string): RecordRow | undefined {
    const row = this.q(`SELECT ${RECORD_COLUMNS} FROM $_records WHERE uuid = $1`, [uuid])[0];
    return row && toRecord(row);
  }
  recordByLuid(luid: number): RecordRow | undefined {
    const row = this.q(`SELECT ${RECORD_COLUMNS} FROM $_records WHERE luid = $1`, [luid])[0];
    return row && toRecord(row);
  }
  uuidsWithPrefix(prefix: string, limit: number): string[] {
    return this.q('SELECT uuid FROM $_records WHERE uuid >= $1 AND uuid < $2 ORDER BY uuid LIMIT $3', [prefix, `${prefix}\uffff`, limit]).map((r) => r[0] as string);
  }
  /** The row and its index entries in one statement, sent with the next one when the transaction knows the local ids in use. */
  insertRecord(uuid: string, type: string, state: RecordWriteState = { live: false, props: {}, heads: {} }, internal = false): number {
    const [names, values] = this.entries(Object.keys(state.props), state.props);
    const params = [uuid, type, state.live, JSON.stringify(state.props), encodeHeads(state.heads, state.props), names, values, this.indexing ? documentOf(state.live, state.props) : null];
    const insert = (luid: string) => `WITH r AS (INSERT INTO $_records (luid, uuid, type, live, props, heads) SELECT ${luid}, $1, $2, $3, $4, $5 RETURNING luid),
        i AS (INSERT INTO $_prop_values (name, value, luid) SELECT n, v, r.luid FROM r, unnest($6::text[], $7::text[]) AS t(n, v)),
        f AS (INSERT INTO $_fulltext (luid, doc) SELECT r.luid, $8::tsvector FROM r WHERE $8::tsvector IS NOT NULL)
      SELECT luid FROM r`;
    const kept = this.locked();
    kept?.records.delete(uuid);
    if (!kept) return this.v<number>(insert(internal ? '(SELECT LEAST(COALESCE(MIN(luid), 0), 0) - 1 FROM $_records)' : '(SELECT GREATEST(COALESCE(MAX(luid), 0), 0) + 1 FROM $_records)'), params)!;
    kept.luids ??= { highest: this.v<number>(LOCKED_READS[1]!)!, lowest: this.v<number>(LOCKED_READS[2]!)! };
    const luid = internal ? --kept.luids.lowest : ++kept.luids.highest;
    this.later(insert('$9::bigint'), [...params, luid]);
    return luid;
  }
  recordWithHeads(uuid: string): (RecordRow & { heads: RecordHeads }) | undefined {
    const kept = this.locked()?.records;
    const row = kept?.has(uuid) ? kept.get(uuid) : this.q(`SELECT ${RECORD_COLUMNS}, heads FROM $_records WHERE uuid = $1`, [uuid])[0];
    if (!row) return undefined;
    const record = toRecord(row);
    return { ...record, heads: decodeHeads(row[5] as string, record.live, record.props) };
  }
  /**
   * The row and its index entries in one statement: the entries of changed
   * properties whose value changed go, the new ones come (an unchanged one
   * stays, so the two never touch the same entry).
   */
  saveRecord(luid: number, state: RecordWriteState, changed: readonly string[]): void {
    const kept = this.locked()?.records;
    for (const [uuid, row] of kept ?? []) if (row?.[0] === luid) kept!.delete(uuid);
    const names = changed.filter((name) => name !== EXISTENCE);
    const [held, values] = this.entries(names, state.props);
    this.later(
      `WITH u AS (UPDATE $_records SET live = $1, props = $2, heads = $3 WHERE luid = $4),
        d AS (DELETE FROM $_prop_values WHERE luid = $4 AND name = ANY($5::text[]) AND (name, value) NOT IN (SELECT * FROM unnest($6::text[], $7::text[]))),
        i AS (INSERT INTO $_prop_values (name, value, luid) SELECT n, v, $4 FROM unnest($6::text[], $7::text[]) AS t(n, v) ON CONFLICT DO NOTHING),
        f AS (INSERT INTO $_fulltext (luid, doc) SELECT $4, $8::tsvector WHERE $9 AND $8::tsvector IS NOT NULL ON CONFLICT (luid) DO UPDATE SET doc = excluded.doc)
      DELETE FROM $_fulltext WHERE luid = $4 AND $9 AND $8::tsvector IS NULL`,
      [state.live, JSON.stringify(state.props), encodeHeads(state.heads, state.props), luid, this.indexing ? names : [], held, values, documentOf(state.live, state.props), this.indexing && changed.length > 0],
    );
  }
  /** The property index's entries of these properties, as `props` holds them: none while the index is suspended. */
  private entries(names: readonly string[], props: Properties): [string[], string[]] {
    const held = this.indexing ? names.filter((name) => props[name] !== undefined) : [];
    return [held, held.map((name) => indexedValue(props[name]!))];
  }
  liveRecords(type: string): RecordRow[] {
    return this.q(`SELECT ${RECORD_COLUMNS} FROM $_records WHERE type = $1 AND live ORDER BY luid`, [type]).map(toRecord);
  }
  liveRecordsByLuid(type: string, luids: readonly number[]): RecordRow[] {
    return this.q(`SELECT ${RECORD_COLUMNS} FROM $_records WHERE type = $1 AND live AND luid = ANY($2) ORDER BY luid`, [type, luids]).map(toRecord);
  }
  liveValues(type: string, prop: string): string[] {
    return this.q('SELECT DISTINCT v.value FROM $_prop_values v JOIN $_records r ON r.luid = v.luid WHERE v.name = $2 AND r.type = $1 AND r.live ORDER BY v.value', [type, prop]).map((r) => r[0] as string);
  }
  liveTypes(): string[] {
    return this.q('SELECT DISTINCT type FROM $_records WHERE live ORDER BY type').map((r) => r[0] as string);
  }
  countLive(type?: string): number {
    return type === undefined ? this.v<number>('SELECT COUNT(*) FROM $_records WHERE live')! : this.v<number>('SELECT COUNT(*) FROM $_records WHERE type = $1 AND live', [type])!;
  }

  private recordHeads(luid: number): RecordHeads {
    const row = this.q('SELECT live, props, heads FROM $_records WHERE luid = $1', [luid])[0];
    return row ? decodeHeads(row[2] as string, row[0] as boolean, JSON.parse(row[1] as string) as Properties) : {};
  }
  heads(luid: number, name: string): StoredHead[] {
    return this.recordHeads(luid)[name] ?? [];
  }
  conflictedProps(luid: number): string[] {
    return conflictedNames(this.recordHeads(luid));
  }

  noteRecordChange(luid: number, seq: number): void {
    this.later('INSERT INTO $_record_changes (luid, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING', [luid, seq]);
  }
  changeSeqsOfRecord(luid: number): number[] {
    return this.q('SELECT seq FROM $_record_changes WHERE luid = $1 ORDER BY seq', [luid]).map((r) => r[0] as number);
  }

  liveRecordsWhere(type: string, filters: IndexedFilter[]): RecordRow[] {
    return liveRecordsWhere(this.query, this.p, type, filters).map(toRecord);
  }
  liveIndexEntries(type: string, filter: IndexedFilter): IndexEntries {
    return liveIndexEntries(this.query, this.p, type, filter);
  }
  indexEntriesOf(name: string, luids: readonly number[]): IndexEntries {
    return indexEntriesOf(this.query, this.p, name, luids);
  }
  /** Sorting reads only the keys through the property index; the records themselves are read for the page alone. */
  liveRecordPage(type: string, request: PageRequest): { total: number; records: RecordRow[] } {
    const { total, luids } = livePage(this.query, this.p, type, request);
    const records = new Map(this.q(`SELECT ${RECORD_COLUMNS} FROM $_records WHERE luid = ANY($1::bigint[])`, [luids]).map((row) => [row[0] as number, toRecord(row)]));
    return { total, records: luids.map((luid) => records.get(luid)!) };
  }
  liveValueCounts(type: string, names: string[], filters: IndexedFilter[]): Array<[string, string, number]> {
    return liveValueCounts(this.query, this.p, type, names, filters);
  }

  /**
   * A bulk load into an empty replica skips the property index; restoring
   * rebuilds it from the records in one statement. Reads meanwhile still
   * work (on an incomplete index), as on SQLite.
   */
  suspendIndexes(): void {
    this.setMeta(STALE_INDEX_KEY, '1');
    this.indexing = false;
  }
  restoreIndexes(): void {
    this.transaction(() => {
      if (!this.getMeta(STALE_INDEX_KEY)) return;
      this.q('DELETE FROM $_prop_values');
      this.q(`INSERT INTO $_prop_values (name, value, luid) SELECT j.key, ${indexedValueSql('j.value')}, r.luid FROM $_records r, jsonb_each_text(r.props::jsonb) j`);
      this.rebuildText();
      this.deleteMeta(STALE_INDEX_KEY);
    });
    this.indexing = true;
  }

  /** Kept in the database, so every process searches alike; sources' text is joined at search time, so naming them rebuilds nothing. */
  useTextSources(sources: readonly TextSource[]): void {
    const wanted = textSourcesKey(sources);
    if (!sameTextSources(this.getMeta(TEXT_SOURCES_KEY), wanted)) this.setMeta(TEXT_SOURCES_KEY, wanted);
  }
  textMatches(phrase: string, type: string, ranked: boolean): TextMatches {
    return this.matches(phrase, type, ranked);
  }
  textPage(phrase: string, type: string, descending: boolean, offset: number, limit: number): { luids: number[]; total: number } {
    return pageOf(this.matches(phrase, type, true), descending, offset, limit);
  }
  textMatchesAmong(phrase: string, luids: readonly number[], type: string, ranked: boolean): TextMatches {
    return this.matches(phrase, type, ranked, luids);
  }
  private matches(phrase: string, type: string, ranked: boolean, among?: readonly number[]): TextMatches {
    const query = queryOf(phrase);
    if (query === null) return { luids: [], ranks: [] };
    const sources = JSON.parse(this.getMeta(TEXT_SOURCES_KEY) ?? '[]') as TextSource[];
    const { sql, sourceParams } = matchesSql(this.p, sources, ranked, among !== undefined);
    return asMatches(this.query(sql, [type, query, ...(among ? [among] : []), ...sourceParams]));
  }
  /** The full-text rows of every live record, cut here (pg-full-text.ts), a page of records at a time. */
  private rebuildText(): void {
    this.q('DELETE FROM $_fulltext');
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = this.q(`SELECT luid, props FROM $_records WHERE live AND luid > $1 ORDER BY luid LIMIT ${PAGE}`, [after]);
      const docs = rows.map((r) => [r[0] as number, documentOf(true, JSON.parse(r[1] as string) as Properties)] as const).filter(([, doc]) => doc !== null);
      if (docs.length) this.q('INSERT INTO $_fulltext (luid, doc) SELECT * FROM unnest($1::bigint[], $2::tsvector[])', [docs.map(([luid]) => luid), docs.map(([, doc]) => doc)]);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]![0] as number;
    }
  }
}

/**
 * Merge tickets of several stores on one connection (both of a hub's
 * logs, say) in one round trip: ReplicaStorage.mergeTickets.
 */
export function readMergeTickets(conn: PgConnection, asks: ReadonlyArray<{ store: PostgresStore; replicaUuid: string }>): number[] {
  // Under the lock they are kept already, or worth keeping.
  if (conn.lockedGeneration !== undefined) return asks.map(({ store, replicaUuid }) => store.getMergeTicket(replicaUuid));
  const uuids = asks.map((a) => a.replicaUuid.toLowerCase());
  const row = conn.query(`SELECT ${asks.map(({ store }, i) => store.ticketRead(`$${i + 1}`)).join(', ')}`, uuids, true)[0] ?? [];
  asks.forEach(({ store }, i) => store.expectTicket(uuids[i]!));
  return uuids.map((_, i) => (row[i] as number | null) ?? 0);
}
