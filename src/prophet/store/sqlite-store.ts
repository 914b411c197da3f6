import type Database from 'better-sqlite3';
import type { Properties } from '../model/types.js';
import { describeSqliteError } from './open-database.js';
import { FullTextIndex } from './full-text-index.js';
import type { TextMatches } from './text-matches.js';
import { secondaryIndexes, type TablePrefix } from './schema.js';
import { fileOf } from './sqlite-handle.js';
import { writeTransaction } from './write-transaction.js';
import { EXISTENCE, INDEXED_CHARS, indexedValue, type ChangesetRow, type IndexedFilter, type IndexEntries, type PageRequest, type NewChangesetRow, type RecordHeads, type RecordRow, type RecordWriteState, type Store, type StoredHead, type TextSource } from './store.js';

interface RawRecord {
  luid: number;
  uuid: string;
  type: string;
  live: number;
  props: string;
  /** Only in the rows read to apply a change. */
  heads: string;
}

/**
 * Heads are kept in the record's row as JSON. A property with one head
 * (nearly all) is stored as just its changeset's sequence number: its value
 * is the shown one. Concurrent heads are stored as [[seq, value], ...],
 * the shown one first.
 */
type EncodedHeads = Record<string, number | Array<[number, string | null]>>;

function encodeHeads(heads: RecordHeads): string {
  const out: EncodedHeads = {};
  for (const [name, hs] of Object.entries(heads)) {
    out[name] = hs.length === 1 ? hs[0]!.id : hs.map((h) => [h.id, h.value]);
  }
  return JSON.stringify(out);
}

function decodeHeads(text: string, live: boolean, props: Properties): RecordHeads {
  const heads: RecordHeads = {};
  for (const [name, h] of Object.entries(JSON.parse(text) as EncodedHeads)) {
    heads[name] =
      typeof h === 'number'
        ? [{ id: h, value: name === EXISTENCE ? (live ? '1' : null) : (props[name] ?? null) }]
        : h.map(([id, value]) => ({ id, value }));
  }
  return heads;
}

function toRecord(raw: RawRecord | undefined): RecordRow | undefined {
  if (!raw) return undefined;
  return { luid: raw.luid, uuid: raw.uuid, type: raw.type, live: raw.live === 1, props: JSON.parse(raw.props) as Properties };
}

const STALE_INDEX_KEY = 'search-index-stale';
const TEXT_SOURCES_KEY = 'full-text-sources';

const entriesOf = (rows: Array<[number, string]>): IndexEntries => ({ luids: rows.map((row) => row[0]), values: rows.map((row) => row[1]) });

/** Sources in a fixed order, as kept in the file. */
const sourcesKey = (sources: readonly TextSource[]) =>
  JSON.stringify([...sources].map(({ owner, type, prop }) => ({ owner, type, prop })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));

/** A filter's condition on the props row `alias`: its name, then its value. */
function filterTest(f: IndexedFilter, alias: string): { sql: string; params: string[] } {
  if ('values' in f) return { sql: `${alias}.name = ? AND ${alias}.value IN (${f.values.map(() => '?').join(',')})`, params: [f.name, ...f.values.map(indexedValue)] };
  const bounds = [f.from !== undefined && `${alias}.value >= ?`, f.below !== undefined && `${alias}.value < ?`].filter((b): b is string => !!b);
  return { sql: [`${alias}.name = ?`, ...bounds].join(' AND '), params: [f.name, ...[f.from, f.below].filter((b): b is string => b !== undefined)] };
}

/** From this many records a page's sort values are read by scanning their index ranges rather than record by record. */
const SCAN_SORT_VALUES_FROM = 2000;

/** What reading a record needs: everything but its write state, which only applying a change reads. */
const READ_COLUMNS = 'luid, uuid, type, live, props';

/** Changeset rows with their signatures put back together (null when unsigned). */
const SELECT_CHANGESETS = `SELECT c.seq, c.origin_uuid, c.origin_seq, c.created, c.kind, c.hash, c.body, k.key || s.signature AS signature
  FROM $_changesets c LEFT JOIN $_signatures s ON s.seq = c.seq LEFT JOIN $_signing_keys k ON k.id = s.key_id`;

/** The SQLite engine: one replica's tables, addressed through a prefix. */
export class SqliteStore implements Store {
  private readonly s;

  constructor(
    /** The connection, for what only SQLite has (pragmas): the Store interface never exposes it. */
    readonly db: Database.Database,
    p: TablePrefix,
  ) {
    const q = (sql: string) => db.prepare(sql.replaceAll('$_', p));
    this.s = {
      getMeta: q('SELECT value FROM $_metadata WHERE key = ?').pluck(),
      setMeta: q('INSERT INTO $_metadata (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      deleteMeta: q('DELETE FROM $_metadata WHERE key = ?'),
      allMeta: q('SELECT key, value FROM $_metadata ORDER BY key').raw(),
      getTicket: q('SELECT seq FROM $_merge_tickets WHERE replica_uuid = ?').pluck(),
      setTicket: q('INSERT INTO $_merge_tickets (replica_uuid, seq) VALUES (?, ?) ON CONFLICT(replica_uuid) DO UPDATE SET seq = excluded.seq'),
      allTickets: q('SELECT replica_uuid, seq FROM $_merge_tickets ORDER BY replica_uuid').raw(),
      latestSeq: q('SELECT COALESCE(MAX(seq), 0) FROM $_changesets').pluck(),
      countChangesets: q('SELECT COUNT(*) FROM $_changesets').pluck(),
      appendChangeset: q('INSERT INTO $_changesets (origin_uuid, origin_seq, created, kind, hash, body) VALUES (?, ?, ?, ?, ?, ?)'),
      signingKeyId: q('SELECT id FROM $_signing_keys WHERE key = ?').pluck(),
      addSigningKey: q('INSERT INTO $_signing_keys (key) VALUES (?)'),
      appendSignature: q('INSERT INTO $_signatures (seq, key_id, signature) VALUES (?, ?, ?)'),
      changesetBySeq: q(`${SELECT_CHANGESETS} WHERE c.seq = ?`),
      seqOfOrigin: q('SELECT seq FROM $_changesets WHERE origin_uuid = ? AND origin_seq = ?').pluck(),
      changesetsBetween: q(`${SELECT_CHANGESETS} WHERE c.seq >= ? AND c.seq <= ? ORDER BY c.seq`),
      recordByUuid: q(`SELECT ${READ_COLUMNS} FROM $_records WHERE uuid = ?`),
      recordWithHeads: q('SELECT * FROM $_records WHERE uuid = ?'),
      recordByLuid: q(`SELECT ${READ_COLUMNS} FROM $_records WHERE luid = ?`),
      uuidsWithPrefix: q('SELECT uuid FROM $_records WHERE uuid >= ? AND uuid < ? ORDER BY uuid LIMIT ?').pluck(),
      insertRecord: q('INSERT INTO $_records (uuid, type, live, props, heads) VALUES (?, ?, ?, ?, ?)'),
      insertInternalRecord: q('INSERT INTO $_records (luid, uuid, type, live, props, heads) VALUES ((SELECT MIN(COALESCE(MIN(luid), 0), 0) - 1 FROM $_records), ?, ?, ?, ?, ?)'),
      saveRecord: q('UPDATE $_records SET live = ?, props = ?, heads = ? WHERE luid = ?'),
      recordHeads: q('SELECT live, props, heads FROM $_records WHERE luid = ?'),
      indexValue: q('INSERT INTO $_props (luid, name, value) VALUES (?, ?, ?) ON CONFLICT(luid, name) DO UPDATE SET value = excluded.value'),
      unindexValue: q('DELETE FROM $_props WHERE luid = ? AND name = ?'),
      liveRecords: q(`SELECT ${READ_COLUMNS} FROM $_records WHERE type = ? AND live = 1 ORDER BY luid`),
      liveTypes: q('SELECT DISTINCT type FROM $_records WHERE live = 1 ORDER BY type').pluck(),
      countLive: q('SELECT COUNT(*) FROM $_records WHERE live = 1').pluck(),
      countLiveOfType: q('SELECT COUNT(*) FROM $_records WHERE type = ? AND live = 1').pluck(),
      hasIndex: q("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck(),
      noteRecordChange: q('INSERT OR IGNORE INTO $_record_changes (luid, seq) VALUES (?, ?)'),
      changeSeqsOfRecord: q('SELECT seq FROM $_record_changes WHERE luid = ? ORDER BY seq').pluck(),
    };
    this.prefix = p;
    this.text = new FullTextIndex(db, p, JSON.parse(this.getMeta(TEXT_SOURCES_KEY) ?? '[]') as TextSource[]);
    this.busyTimeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
    // A bulk load cut short left the search index incomplete: rebuild it (where it can be written).
    if (this.getMeta(STALE_INDEX_KEY) && !db.readonly) this.restoreIndexes();
  }

  /** Whether the search index is kept up to date write by write (off during a bulk load). */
  private indexing = true;

  private readonly prefix: TablePrefix;
  private readonly busyTimeoutMs: number;

  private readonly text: FullTextIndex;

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
    const wanted = sourcesKey(sources);
    if (wanted === this.getMeta(TEXT_SOURCES_KEY) || this.db.readonly) return;
    this.transaction(() => {
      // Checked again under the lock: another process may have rebuilt it.
      if (this.getMeta(TEXT_SOURCES_KEY) === wanted) return;
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
    const seq = Number(this.s.appendChangeset.run(row.origin_uuid, row.origin_seq, row.created, row.kind, row.hash, row.body).lastInsertRowid);
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
    return this.s.changesetBySeq.get(seq) as ChangesetRow | undefined;
  }
  seqOfOrigin(originUuid: string, originSeq: number): number | undefined {
    return this.s.seqOfOrigin.get(originUuid, originSeq) as number | undefined;
  }
  changesetsBetween(from: number, to: number): IterableIterator<ChangesetRow> {
    return this.s.changesetsBetween.iterate(from, to) as IterableIterator<ChangesetRow>;
  }

  recordByUuid(uuid: string): RecordRow | undefined {
    return toRecord(this.s.recordByUuid.get(uuid) as RawRecord | undefined);
  }
  recordByLuid(luid: number): RecordRow | undefined {
    return toRecord(this.s.recordByLuid.get(luid) as RawRecord | undefined);
  }
  uuidsWithPrefix(prefix: string, limit: number): string[] {
    return this.s.uuidsWithPrefix.all(prefix, `${prefix}\uffff`, limit) as string[];
  }
  insertRecord(uuid: string, type: string, state: RecordWriteState = { live: false, props: {}, heads: {} }, internal = false): number {
    const insert = internal ? this.s.insertInternalRecord : this.s.insertRecord;
    const luid = Number(insert.run(uuid, type, state.live ? 1 : 0, JSON.stringify(state.props), encodeHeads(state.heads)).lastInsertRowid);
    if (this.indexing) {
      for (const [name, value] of Object.entries(state.props)) this.s.indexValue.run(luid, name, indexedValue(value));
      this.text.inserted(luid, type);
      this.textWritten();
    }
    return luid;
  }
  private recordHeads(luid: number): RecordHeads {
    const row = this.s.recordHeads.get(luid) as Pick<RawRecord, 'live' | 'props' | 'heads'> | undefined;
    return row ? decodeHeads(row.heads, row.live === 1, JSON.parse(row.props) as Properties) : {};
  }
  recordWithHeads(uuid: string): (RecordRow & { heads: RecordHeads }) | undefined {
    const raw = this.s.recordWithHeads.get(uuid) as RawRecord | undefined;
    if (!raw) return undefined;
    const record = toRecord(raw)!;
    return { ...record, heads: decodeHeads(raw.heads, record.live, record.props) };
  }
  saveRecord(luid: number, state: RecordWriteState, changed: readonly string[]): void {
    this.s.saveRecord.run(state.live ? 1 : 0, JSON.stringify(state.props), encodeHeads(state.heads), luid);
    if (!this.indexing || !changed.length) return;
    this.text.saving(luid, changed);
    for (const name of changed) {
      if (name === EXISTENCE) continue;
      const value = state.props[name];
      if (value === undefined) this.s.unindexValue.run(luid, name);
      else this.s.indexValue.run(luid, name, indexedValue(value));
    }
    this.textWritten();
  }
  liveRecords(type: string): RecordRow[] {
    return (this.s.liveRecords.all(type) as RawRecord[]).map((r) => toRecord(r)!);
  }
  private readonly statements = new Map<string, Database.Statement>();

  private cached(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** How many property rows a filter matches: a count over the covering index, cheap next to loading records. */
  private countMatches(filter: IndexedFilter): number {
    const test = filterTest(filter, 'v');
    return this.cached(`SELECT COUNT(*) FROM ${this.prefix}props v WHERE ${test.sql}`).pluck().get(...test.params) as number;
  }

  /**
   * The props rows `${alias}0`, `${alias}1`... of the records passing every
   * filter: `${alias}0` (the most selective filter's, by a count over the
   * index) drives, the others are joined by local id and checked through
   * the index, so only matching records are reached. CROSS JOIN keeps
   * SQLite from starting at the type index instead. The caller names
   * `${p}props ${alias}0` first in its FROM, then `joins`, and puts `first`
   * in its WHERE.
   */
  private filterRows(filters: readonly IndexedFilter[], alias: string): { joins: string; joinParams: string[]; first: string; firstParams: string[] } {
    const ordered = filters.length > 1 ? [...filters].sort((a, b) => this.countMatches(a) - this.countMatches(b)) : filters;
    const tests = ordered.map((f, i) => filterTest(f, `${alias}${i}`));
    return {
      joins: tests
        .slice(1)
        .map((t, i) => `CROSS JOIN ${this.prefix}props ${alias}${i + 1} ON ${alias}${i + 1}.luid = ${alias}0.luid AND ${t.sql}`)
        .join(' '),
      joinParams: tests.slice(1).flatMap((t) => t.params),
      first: tests[0]?.sql ?? '1',
      firstParams: tests[0]?.params ?? [],
    };
  }

  liveRecordsWhere(type: string, filters: IndexedFilter[]): RecordRow[] {
    const p = this.prefix;
    const f = this.filterRows(filters, 'v');
    const sql = `SELECT ${READ_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM ${p}props v0 ${f.joins} CROSS JOIN ${p}records r ON r.luid = v0.luid
      WHERE ${f.first} AND r.type = ? AND r.live = 1 ORDER BY r.luid`;
    return (this.cached(sql).all(...f.joinParams, ...f.firstParams, type) as RawRecord[]).map((r) => toRecord(r)!);
  }

  liveIndexEntries(type: string, filter: IndexedFilter): IndexEntries {
    const p = this.prefix;
    const test = filterTest(filter, 'v');
    const sql = `SELECT v.luid, v.value FROM ${p}props v WHERE ${test.sql} AND EXISTS (SELECT 1 FROM ${this.recordsByType()} WHERE r.luid = v.luid AND r.type = ? AND r.live = 1)`;
    return entriesOf(this.cached(sql).raw().all(...test.params, type) as Array<[number, string]>);
  }

  indexEntriesOf(name: string, luids: readonly number[]): IndexEntries {
    const sql = `SELECT v.luid, v.value FROM json_each(?) j CROSS JOIN ${this.prefix}props v ON v.luid = j.value AND v.name = ?`;
    return entriesOf(this.cached(sql).raw().all(JSON.stringify(luids), name) as Array<[number, string]>);
  }

  /**
   * Sorting reads only the keys through the property index; the records
   * themselves are loaded for the page alone, so page 100 of 50,000 costs
   * about what page 1 does.
   */
  liveRecordPage(type: string, request: PageRequest): { total: number; records: RecordRow[] } {
    const p = this.prefix;
    const filtered = request.filters.length > 0;
    const f = this.filterRows(request.filters, 'f');
    const from = filtered ? `${p}props f0 ${f.joins} CROSS JOIN ${this.recordsByType()} ON r.luid = f0.luid` : `${p}records r`;
    const fromParams = f.joinParams;
    const conditions = ['r.type = ?', 'r.live = 1'];
    const whereParams: unknown[] = [type];
    if (filtered) {
      conditions.unshift(f.first);
      whereParams.unshift(...f.firstParams);
    }
    if (request.among) {
      conditions.push('r.luid IN (SELECT value FROM json_each(?))');
      whereParams.push(JSON.stringify(request.among));
    }
    const where = conditions.join(' AND ');
    const total = this.cached(`SELECT COUNT(*) FROM ${from} WHERE ${where}`).pluck().get(...fromParams, ...whereParams) as number;
    if (request.limit === 0) return { total, records: [] };

    const dir = request.descending ? 'DESC' : 'ASC';
    // Many records: their sort values come from the property index's ranges,
    // grouped by local id, instead of a lookup per record (a page of the
    // props table each, where they sit among large values).
    const scan = request.order.length > 0 && total > SCAN_SORT_VALUES_FROM;
    const value = (i: number) => (scan ? `k${i}` : `o${i}.value`);
    const terms: string[] = [];
    const termParams: unknown[] = [];
    request.order.forEach((key, i) => {
      if (key.rank?.length) {
        terms.push(`CASE ${value(i)} ${key.rank.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END ${dir}`);
        key.rank.forEach((v, n) => termParams.push(v, n));
        termParams.push(key.rank.length);
      }
      terms.push(`(${value(i)} IS ${key.missingLast ? '' : 'NOT '}NULL) ${dir}`, `${value(i)} ${dir}`);
    });
    terms.push(`luid ${dir}`);
    const names = request.order.map((key) => key.name);
    const sql = scan
      ? `SELECT luid FROM (SELECT luid, MAX(src = 0) AS candidate, ${names.map((_, i) => `MAX(CASE WHEN src = ${i + 1} THEN value END) AS k${i}`).join(', ')}
          FROM (SELECT r.luid AS luid, 0 AS src, NULL AS value FROM ${from} WHERE ${where}
            ${names.map((_, i) => `UNION ALL SELECT luid, ${i + 1}, value FROM ${p}props WHERE name = ?`).join(' ')})
          GROUP BY luid) WHERE candidate = 1 ORDER BY ${terms.join(', ')} LIMIT ? OFFSET ?`
      : `SELECT r.luid AS luid FROM ${from} ${names.map((_, i) => `LEFT JOIN ${p}props o${i} ON o${i}.luid = r.luid AND o${i}.name = ?`).join(' ')} WHERE ${where} ORDER BY ${terms.join(', ')} LIMIT ? OFFSET ?`;
    const params = scan ? [...fromParams, ...whereParams, ...names] : [...fromParams, ...names, ...whereParams];
    const luids = this.cached(sql).pluck().all(...params, ...termParams, request.limit, request.offset) as number[];
    return { total, records: luids.map((luid) => this.recordByLuid(luid)!) };
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

  liveValues(type: string, prop: string): string[] {
    const p = this.prefix;
    return this.cached(`SELECT DISTINCT v.value FROM ${p}props v CROSS JOIN ${p}records r ON r.luid = v.luid WHERE v.name = ? AND r.type = ? AND r.live = 1`)
      .pluck()
      .all(prop, type) as string[];
  }

  liveRecordsByLuid(type: string, luids: readonly number[]): RecordRow[] {
    const p = this.prefix;
    // Driven from the list (CROSS JOIN), one row lookup each, rather than a scan of the type's records.
    const sql = `SELECT ${READ_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM json_each(?) j CROSS JOIN ${p}records r ON r.luid = j.value
      WHERE r.type = ? AND r.live = 1 ORDER BY r.luid`;
    return (this.cached(sql).all(JSON.stringify(luids), type) as RawRecord[]).map((r) => toRecord(r)!);
  }

  /**
   * The records table as `r`, to check a record's type and liveness by its
   * local id: through the (type, live) index, which holds the local id,
   * when it exists. SQLite would otherwise read the record's own row, and
   * those are large (every value, attachments' contents): a page of the
   * table per record, ten times slower over thousands of records.
   */
  private recordsByType(): string {
    const index = `${this.prefix}records_type`;
    return this.s.hasIndex.get(index) ? `${this.prefix}records r INDEXED BY ${index}` : `${this.prefix}records r`;
  }

  liveValueCounts(type: string, names: string[], filters: IndexedFilter[]): Array<[string, string, number]> {
    const p = this.prefix;
    // Driven from the most selective filter, as liveRecordPage; a record's
    // counted values are then read by its local id, together (one page).
    const f = this.filterRows(filters, 'f');
    const from = filters.length ? `${p}props f0 ${f.joins} CROSS JOIN ${p}props v ON v.luid = f0.luid` : `${p}props v`;
    const where = [f.first, `v.name IN (${names.map(() => '?').join(',')})`, `EXISTS (SELECT 1 FROM ${this.recordsByType()} WHERE r.luid = v.luid AND r.type = ? AND r.live = 1)`];
    const params = [...f.joinParams, ...f.firstParams, ...names, type];
    return this.cached(`SELECT v.name, v.value, COUNT(*) FROM ${from} WHERE ${where.join(' AND ')} GROUP BY v.name, v.value`).raw().all(...params) as Array<[string, string, number]>;
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
    return Object.entries(this.recordHeads(luid))
      .filter(([, hs]) => hs.length > 1)
      .map(([name]) => name)
      .sort();
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
      this.db.exec(`DELETE FROM ${p}props`);
      this.db.exec(`INSERT INTO ${p}props (luid, name, value) SELECT r.luid, j.key, substr(j.value, 1, ${INDEXED_CHARS}) FROM ${p}records r, json_each(r.props) j`);
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
