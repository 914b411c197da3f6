import type Database from 'better-sqlite3';
import type { Properties } from '../model/types.js';
import { describeSqliteError } from './open-database.js';
import { FullTextIndex } from './full-text-index.js';
import { sameTextSources, textSourcesKey } from './full-text.js';
import { preparedOnUse } from './prepared-on-use.js';
import { PropertyQueries } from './property-queries.js';
import { READ_COLUMNS, toRecord, type RawRecord } from './record-rows.js';
import { entriesSql, RecordShapes, valueSql } from './record-shapes.js';
import { nameIdSql, PropNames } from './prop-names.js';
import type { TextMatches } from './text-matches.js';
import { secondaryIndexes, STALE_INDEX_KEY, TEXT_SOURCES_KEY, type TablePrefix } from './schema.js';
import { packBody, unpackBody, type StoredBody } from './changeset-bodies.js';
import { conflictedNames, decodeHeads, encodeHeads } from './record-heads.js';
import { fileOf } from './sqlite-handle.js';
import { onRollback, writeTransaction } from './write-transaction.js';
import { EXISTENCE, indexedValue, indexedValueSql, type ChangesetRow, type IndexedFilter, type IndexEntries, type PageRequest, type NewChangesetRow, type RecordHeads, type RecordRow, type RecordWriteState, type Store, type StoredHead, type TextSource } from './store.js';


/** Changeset rows with their signatures put back together (null when unsigned). */
const SELECT_CHANGESETS = `SELECT c.seq, c.origin_uuid, c.origin_seq, c.created, c.kind, c.hash, c.body, k.key || s.signature AS signature
  FROM $_changesets c LEFT JOIN $_signatures s ON s.seq = c.seq LEFT JOIN $_signing_keys k ON k.id = s.key_id`;

type StoredChangesetRow = Omit<ChangesetRow, 'body'> & { body: StoredBody };

function unpacked(row: StoredChangesetRow): ChangesetRow {
  return { ...row, body: unpackBody(row.body) };
}

/** The SQLite engine: one replica's tables, addressed through a prefix. */
export class SqliteStore implements Store {
  private readonly s;

  constructor(
    /** The connection, for what only SQLite has (pragmas): the Store interface never exposes it. */
    readonly db: Database.Database,
    p: TablePrefix,
  ) {
    const q = (sql: string) => db.prepare(sql.replaceAll('$_', p));
    this.s = preparedOnUse({
      getMeta: () => q('SELECT value FROM $_metadata WHERE key = ?').pluck(),
      setMeta: () => q('INSERT INTO $_metadata (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      deleteMeta: () => q('DELETE FROM $_metadata WHERE key = ?'),
      allMeta: () => q('SELECT key, value FROM $_metadata ORDER BY key').raw(),
      getTicket: () => q('SELECT seq FROM $_merge_tickets WHERE replica_uuid = ?').pluck(),
      setTicket: () => q('INSERT INTO $_merge_tickets (replica_uuid, seq) VALUES (?, ?) ON CONFLICT(replica_uuid) DO UPDATE SET seq = excluded.seq'),
      allTickets: () => q('SELECT replica_uuid, seq FROM $_merge_tickets ORDER BY replica_uuid').raw(),
      latestSeq: () => q('SELECT COALESCE(MAX(seq), 0) FROM $_changesets').pluck(),
      countChangesets: () => q('SELECT COUNT(*) FROM $_changesets').pluck(),
      appendChangeset: () => q('INSERT INTO $_changesets (origin_uuid, origin_seq, created, kind, hash, body) VALUES (?, ?, ?, ?, ?, ?)'),
      signingKeyId: () => q('SELECT id FROM $_signing_keys WHERE key = ?').pluck(),
      addSigningKey: () => q('INSERT INTO $_signing_keys (key) VALUES (?)'),
      appendSignature: () => q('INSERT INTO $_signatures (seq, key_id, signature) VALUES (?, ?, ?)'),
      changesetBySeq: () => q(`${SELECT_CHANGESETS} WHERE c.seq = ?`),
      seqOfOrigin: () => q('SELECT seq FROM $_changesets WHERE origin_uuid = ? AND origin_seq = ?').pluck(),
      changesetsBetween: () => q(`${SELECT_CHANGESETS} WHERE c.seq >= ? AND c.seq <= ? ORDER BY c.seq`),
      recordByUuid: () => q(`SELECT ${READ_COLUMNS} FROM $_records WHERE uuid = ?`),
      recordWithHeads: () => q('SELECT * FROM $_records WHERE uuid = ?'),
      recordByLuid: () => q(`SELECT ${READ_COLUMNS} FROM $_records WHERE luid = ?`),
      uuidsWithPrefix: () => q('SELECT uuid FROM $_records WHERE uuid >= ? AND uuid < ? ORDER BY uuid LIMIT ?').pluck(),
      insertRecord: () => q('INSERT INTO $_records (uuid, type, live, props, heads) VALUES (?, ?, ?, ?, ?)'),
      insertInternalRecord: () => q('INSERT INTO $_records (luid, uuid, type, live, props, heads) VALUES ((SELECT MIN(COALESCE(MIN(luid), 0), 0) - 1 FROM $_records), ?, ?, ?, ?, ?)'),
      saveRecord: () => q('UPDATE $_records SET live = ?, props = ?, heads = ? WHERE luid = ?'),
      recordHeads: () => q('SELECT live, props, heads FROM $_records WHERE luid = ?'),
      indexValue: () => q('INSERT OR IGNORE INTO $_prop_values (name_id, value, luid) VALUES (?, ?, ?)'),
      // The index is keyed by value: a record's entry is found by the value its row still holds.
      unindexValue: () => q(`DELETE FROM $_prop_values WHERE name_id = ${nameIdSql(p, '@name')} AND luid = @luid
        AND value = (SELECT ${indexedValueSql(valueSql(p, 'r', '@name'))} FROM $_records r WHERE r.luid = @luid)`),
      liveRecords: () => q(`SELECT ${READ_COLUMNS} FROM $_records WHERE type = ? AND live = 1 ORDER BY luid`),
      liveTypes: () => q('SELECT DISTINCT type FROM $_records WHERE live = 1 ORDER BY type').pluck(),
      countLive: () => q('SELECT COUNT(*) FROM $_records WHERE live = 1').pluck(),
      countLiveOfType: () => q('SELECT COUNT(*) FROM $_records WHERE type = ? AND live = 1').pluck(),
      noteRecordChange: () => q('INSERT OR IGNORE INTO $_record_changes (luid, seq) VALUES (?, ?)'),
      changeSeqsOfRecord: () => q('SELECT seq FROM $_record_changes WHERE luid = ? ORDER BY seq').pluck(),
    });
    this.prefix = p;
    this.shapes = new RecordShapes(db, p);
    this.names = new PropNames(db, p);
    // What either cache learned inside a transaction that rolled back may be gone from the file.
    onRollback(db, () => {
      this.shapes.forget();
      this.names.forget();
    });
    this.decode = (props) => this.shapes.decode(props);
    this.queries = new PropertyQueries(db, p, this.decode);
    this.text = new FullTextIndex(db, p, JSON.parse(this.getMeta(TEXT_SOURCES_KEY) ?? '[]') as TextSource[], this.shapes);
    this.busyTimeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
    // A bulk load cut short left the search index incomplete: rebuild it (where it can be written).
    if (this.getMeta(STALE_INDEX_KEY) && !db.readonly) this.restoreIndexes();
  }

  /** Whether the search index is kept up to date write by write (off during a bulk load). */
  private indexing = true;

  private readonly prefix: TablePrefix;
  private readonly busyTimeoutMs: number;

  private readonly text: FullTextIndex;
  private readonly queries: PropertyQueries;
  private readonly shapes: RecordShapes;
  private readonly names: PropNames;
  private readonly decode: (props: string) => Properties;

  /** A write transaction, waiting its turn behind other processes' (see write-transaction.ts). */
  transaction<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    const mark = this.text.pending.mark();
    try {
      return writeTransaction(this.db, () => {
        // Another process may have rebuilt the search index between this bulk load's transactions: keep it up to date from here.
        if (!this.indexing && !this.getMeta(STALE_INDEX_KEY)) this.indexing = true;
        const result = fn();
        if (outermost) this.text.write(false);
        return result;
      });
    } catch (err) {
      if (outermost) this.text.pending.clear();
      else this.text.pending.rollbackTo(mark);
      if ((err as { code?: string }).code?.startsWith('SQLITE_')) throw describeSqliteError(err, fileOf(this.db), this.busyTimeoutMs);
      throw err;
    }
  }

  /** Owes the index a written record's rows; written at once outside a transaction. */
  private textWritten(): void {
    if (!this.db.inTransaction) this.text.write(false);
  }

  useTextSources(sources: readonly TextSource[]): void {
    const wanted = textSourcesKey(sources);
    if (sameTextSources(this.getMeta(TEXT_SOURCES_KEY), wanted) || this.db.readonly) return;
    this.transaction(() => {
      // Checked again under the lock: another process may have rebuilt it.
      if (sameTextSources(this.getMeta(TEXT_SOURCES_KEY), wanted)) return;
      this.setMeta(TEXT_SOURCES_KEY, wanted);
      this.text.rebuildSources(JSON.parse(wanted) as TextSource[]);
    });
  }

  getMeta(key: string): string | undefined {
    return this.s.getMeta.get(key.toLowerCase()) as string | undefined;
  }
  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key.toLowerCase(), value);
  }
  deleteMeta(key: string): void {
    this.s.deleteMeta.run(key.toLowerCase());
  }
  allMeta(): Array<[string, string]> {
    return this.s.allMeta.all() as Array<[string, string]>;
  }

  getMergeTicket(replicaUuid: string): number {
    return (this.s.getTicket.get(replicaUuid.toLowerCase()) as number | undefined) ?? 0;
  }
  setMergeTicket(replicaUuid: string, seq: number): void {
    this.s.setTicket.run(replicaUuid.toLowerCase(), seq);
  }
  allMergeTickets(): Array<[string, number]> {
    return this.s.allTickets.all() as Array<[string, number]>;
  }

  latestSeq(): number {
    return this.s.latestSeq.get() as number;
  }
  countChangesets(): number {
    return this.s.countChangesets.get() as number;
  }
  appendChangeset(row: NewChangesetRow): number {
    const seq = Number(this.s.appendChangeset.run(row.origin_uuid, row.origin_seq, row.created, row.kind, row.hash, packBody(row.body)).lastInsertRowid);
    if (row.signature) {
      // The signing key is what precedes the signature's last colon ("ed25519:KEY:"): kept once per key.
      const cut = row.signature.lastIndexOf(':') + 1;
      const key = row.signature.slice(0, cut);
      const keyId = (this.s.signingKeyId.get(key) as number | undefined) ?? Number(this.s.addSigningKey.run(key).lastInsertRowid);
      this.s.appendSignature.run(seq, keyId, row.signature.slice(cut));
    }
    return seq;
  }
  changesetBySeq(seq: number): ChangesetRow | undefined {
    const row = this.s.changesetBySeq.get(seq) as StoredChangesetRow | undefined;
    return row && unpacked(row);
  }
  seqOfOrigin(originUuid: string, originSeq: number): number | undefined {
    return this.s.seqOfOrigin.get(originUuid, originSeq) as number | undefined;
  }
  *changesetsBetween(from: number, to: number): IterableIterator<ChangesetRow> {
    for (const row of this.s.changesetsBetween.iterate(from, to) as IterableIterator<StoredChangesetRow>) yield unpacked(row);
  }

  recordByUuid(uuid: string): RecordRow | undefined {
    return toRecord(this.s.recordByUuid.get(uuid) as RawRecord | undefined, this.decode);
  }
  recordByLuid(luid: number): RecordRow | undefined {
    return toRecord(this.s.recordByLuid.get(luid) as RawRecord | undefined, this.decode);
  }
  uuidsWithPrefix(prefix: string, limit: number): string[] {
    return this.s.uuidsWithPrefix.all(prefix, `${prefix}\uffff`, limit) as string[];
  }
  insertRecord(uuid: string, type: string, state: RecordWriteState = { live: false, props: {}, heads: {} }, internal = false): number {
    const insert = internal ? this.s.insertInternalRecord : this.s.insertRecord;
    const luid = Number(insert.run(uuid, type, state.live ? 1 : 0, this.shapes.encode(state.props), encodeHeads(state.heads, state.props)).lastInsertRowid);
    if (this.indexing) {
      for (const [name, value] of Object.entries(state.props)) this.s.indexValue.run(this.names.idToWrite(name), indexedValue(value), luid);
      this.text.inserted(luid, type);
      this.textWritten();
    }
    return luid;
  }
  private recordHeads(luid: number): RecordHeads {
    const row = this.s.recordHeads.get(luid) as Pick<RawRecord, 'live' | 'props' | 'heads'> | undefined;
    return row ? decodeHeads(row.heads, row.live === 1, this.decode(row.props)) : {};
  }
  recordWithHeads(uuid: string): (RecordRow & { heads: RecordHeads }) | undefined {
    const raw = this.s.recordWithHeads.get(uuid) as RawRecord | undefined;
    if (!raw) return undefined;
    const record = toRecord(raw, this.decode)!;
    return { ...record, heads: decodeHeads(raw.heads, record.live, record.props) };
  }
  saveRecord(luid: number, state: RecordWriteState, changed: readonly string[]): void {
    const indexing = this.indexing && changed.length > 0;
    const names = changed.filter((name) => name !== EXISTENCE);
    // What the record held is read from its row, so before it is written.
    if (indexing) {
      this.text.saving(luid, changed);
      for (const name of names) this.s.unindexValue.run({ name, luid });
    }
    this.s.saveRecord.run(state.live ? 1 : 0, this.shapes.encode(state.props), encodeHeads(state.heads, state.props), luid);
    if (!indexing) return;
    for (const name of names) {
      const value = state.props[name];
      if (value !== undefined) this.s.indexValue.run(this.names.idToWrite(name), indexedValue(value), luid);
    }
    this.textWritten();
  }
  liveRecords(type: string): RecordRow[] {
    return (this.s.liveRecords.all(type) as RawRecord[]).map((r) => toRecord(r, this.decode)!);
  }
  liveRecordsWhere(type: string, filters: IndexedFilter[]): RecordRow[] {
    return this.queries.liveRecordsWhere(type, filters);
  }
  liveIndexEntries(type: string, filter: IndexedFilter): IndexEntries {
    return this.queries.liveIndexEntries(type, filter);
  }
  indexEntriesOf(name: string, luids: readonly number[]): IndexEntries {
    return this.queries.indexEntriesOf(name, luids);
  }
  liveRecordPage(type: string, request: PageRequest): { total: number; records: RecordRow[] } {
    return this.queries.liveRecordPage(type, request);
  }
  liveValues(type: string, prop: string): string[] {
    return this.queries.liveValues(type, prop);
  }
  liveRecordsByLuid(type: string, luids: readonly number[]): RecordRow[] {
    return this.queries.liveRecordsByLuid(type, luids);
  }
  liveValueCounts(type: string, names: string[], filters: IndexedFilter[]): Array<[string, string, number]> {
    return this.queries.liveValueCounts(type, names, filters);
  }

  textMatches(phrase: string, type: string, ranked: boolean): TextMatches {
    return this.text.matches(phrase, type, ranked);
  }
  textPage(phrase: string, type: string, descending: boolean, offset: number, limit: number): { luids: number[]; total: number } {
    return this.text.page(phrase, type, descending, offset, limit);
  }
  textMatchesAmong(phrase: string, luids: readonly number[], type: string, ranked: boolean): TextMatches {
    return this.text.matchesAmong(phrase, luids, type, ranked);
  }

  liveTypes(): string[] {
    return this.s.liveTypes.all() as string[];
  }
  countLive(type?: string): number {
    return (type === undefined ? this.s.countLive.get() : this.s.countLiveOfType.get(type)) as number;
  }

  heads(luid: number, name: string): StoredHead[] {
    return this.recordHeads(luid)[name] ?? [];
  }
  conflictedProps(luid: number): string[] {
    return conflictedNames(this.recordHeads(luid));
  }

  suspendIndexes(): void {
    this.transaction(() => {
      this.setMeta(STALE_INDEX_KEY, '1');
      for (const index of secondaryIndexes(this.prefix)) this.db.exec(`DROP INDEX IF EXISTS ${index.name}`);
    });
    this.indexing = false;
  }
  restoreIndexes(): void {
    const p = this.prefix;
    this.transaction(() => {
      // Checked again under the lock: another process opening the replica at the same time may have rebuilt it.
      if (!this.getMeta(STALE_INDEX_KEY)) return;
      this.db.exec(`DELETE FROM ${p}prop_values`);
      const e = entriesSql(p, 'r', 'e');
      this.db.exec(`INSERT OR IGNORE INTO ${p}prop_names (name) SELECT DISTINCT name FROM ${p}prop_shapes;
        INSERT INTO ${p}prop_values (name_id, value, luid) SELECT n.id, ${indexedValueSql(e.value)}, r.luid
        FROM ${p}records r ${e.join} CROSS JOIN ${p}prop_names n ON n.name = ${e.name} ORDER BY 1, 2, 3`);
      for (const index of secondaryIndexes(p)) this.db.exec(index.ddl);
      this.text.rebuild();
      this.deleteMeta(STALE_INDEX_KEY);
    });
    this.indexing = true;
  }

  noteRecordChange(luid: number, seq: number): void {
    this.s.noteRecordChange.run(luid, seq);
  }
  changeSeqsOfRecord(luid: number): number[] {
    return this.s.changeSeqsOfRecord.all(luid) as number[];
  }
}
