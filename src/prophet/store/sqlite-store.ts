import type Database from 'better-sqlite3';
import type { Properties } from '../model/types.js';
import { describeSqliteError } from './open-database.js';
import { secondaryIndexes, type TablePrefix } from './schema.js';
import { fileOf } from './sqlite-handle.js';
import { writeTransaction } from './write-transaction.js';
import { EXISTENCE, type ChangesetRow, type IndexedFilter, type PageRequest, type NewChangesetRow, type RecordHeads, type RecordRow, type RecordWriteState, type Store, type StoredHead } from './store.js';

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
      noteRecordChange: q('INSERT OR IGNORE INTO $_record_changes (luid, seq) VALUES (?, ?)'),
      changeSeqsOfRecord: q('SELECT seq FROM $_record_changes WHERE luid = ? ORDER BY seq').pluck(),
    };
    this.prefix = p;
    this.busyTimeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
    // A bulk load cut short left the search index incomplete: rebuild it (where it can be written).
    if (this.getMeta(STALE_INDEX_KEY) && !db.readonly) this.restoreIndexes();
  }

  /** Whether the search index is kept up to date write by write (off during a bulk load). */
  private indexing = true;

  private readonly prefix: TablePrefix;
  private readonly busyTimeoutMs: number;

  /** A write transaction, waiting its turn behind other processes' (see write-transaction.ts). */
  transaction<T>(fn: () => T): T {
    try {
      return writeTransaction(this.db, () => {
        // Another process may have rebuilt the search index between this bulk load's transactions: keep it up to date from here.
        if (!this.indexing && !this.getMeta(STALE_INDEX_KEY)) this.indexing = true;
        return fn();
      });
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_')) throw describeSqliteError(err, fileOf(this.db), this.busyTimeoutMs);
      throw err;
    }
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
    if (this.indexing) for (const [name, value] of Object.entries(state.props)) this.s.indexValue.run(luid, name, value);
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
    if (!this.indexing) return;
    for (const name of changed) {
      const value = state.props[name];
      if (value === undefined) this.s.unindexValue.run(luid, name);
      else this.s.indexValue.run(luid, name, value);
    }
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
    const marks = filter.values.map(() => '?').join(',');
    return this.cached(`SELECT COUNT(*) FROM ${this.prefix}props WHERE name = ? AND value IN (${marks})`).pluck().get(filter.name, ...filter.values) as number;
  }

  liveRecordsWhere(type: string, filters: IndexedFilter[]): RecordRow[] {
    const p = this.prefix;
    // Drive from the most selective filter and check the others through the
    // property index, so only matching records are loaded. CROSS JOIN keeps
    // SQLite from starting at the type index instead.
    const ordered = filters.length > 1 ? [...filters].sort((a, b) => this.countMatches(a) - this.countMatches(b)) : filters;
    const marks = (f: IndexedFilter) => f.values.map(() => '?').join(',');
    const joins = ordered
      .slice(1)
      .map((f, i) => `CROSS JOIN ${p}props v${i + 1} ON v${i + 1}.luid = v0.luid AND v${i + 1}.name = ? AND v${i + 1}.value IN (${marks(f)})`)
      .join(' ');
    const sql = `SELECT ${READ_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM ${p}props v0 ${joins} CROSS JOIN ${p}records r ON r.luid = v0.luid
      WHERE v0.name = ? AND v0.value IN (${marks(ordered[0]!)}) AND r.type = ? AND r.live = 1 ORDER BY r.luid`;
    const params = [...ordered.slice(1).flatMap((f) => [f.name, ...f.values]), ordered[0]!.name, ...ordered[0]!.values, type];
    return (this.cached(sql).all(...params) as RawRecord[]).map((r) => toRecord(r)!);
  }

  /**
   * Sorting reads only the keys through the property index; the records
   * themselves are loaded for the page alone, so page 100 of 50,000 costs
   * about what page 1 does.
   */
  liveRecordPage(type: string, request: PageRequest): { total: number; records: RecordRow[] } {
    const p = this.prefix;
    const marks = (f: IndexedFilter) => f.values.map(() => '?').join(',');
    // Driven from the most selective filter through the property index, as in liveRecordsWhere; CROSS JOIN fixes that order.
    const filters = request.filters.length > 1 ? [...request.filters].sort((a, b) => this.countMatches(a) - this.countMatches(b)) : request.filters;
    const from = filters.length
      ? [`${p}props f0`, ...filters.slice(1).map((f, i) => `CROSS JOIN ${p}props f${i + 1} ON f${i + 1}.luid = f0.luid AND f${i + 1}.name = ? AND f${i + 1}.value IN (${marks(f)})`), `CROSS JOIN ${p}records r ON r.luid = f0.luid`].join(' ')
      : `${p}records r`;
    const fromParams = filters.slice(1).flatMap((f) => [f.name, ...f.values]);
    const conditions = ['r.type = ?', 'r.live = 1'];
    const whereParams: unknown[] = [type];
    if (filters.length) {
      conditions.unshift(`f0.name = ? AND f0.value IN (${marks(filters[0]!)})`);
      whereParams.unshift(filters[0]!.name, ...filters[0]!.values);
    }
    if (request.among) {
      conditions.push('r.luid IN (SELECT value FROM json_each(?))');
      whereParams.push(JSON.stringify(request.among));
    }
    const where = conditions.join(' AND ');
    const total = this.cached(`SELECT COUNT(*) FROM ${from} WHERE ${where}`).pluck().get(...fromParams, ...whereParams) as number;
    if (request.limit === 0) return { total, records: [] };

    const dir = request.descending ? 'DESC' : 'ASC';
    const orderJoins: string[] = [];
    const orderJoinParams: unknown[] = [];
    const terms: string[] = [];
    const termParams: unknown[] = [];
    request.order.forEach((key, i) => {
      orderJoins.push(`LEFT JOIN ${p}props o${i} ON o${i}.luid = r.luid AND o${i}.name = ?`);
      orderJoinParams.push(key.name);
      if (key.rank?.length) {
        terms.push(`CASE o${i}.value ${key.rank.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END ${dir}`);
        key.rank.forEach((v, n) => termParams.push(v, n));
        termParams.push(key.rank.length);
      }
      terms.push(`(o${i}.value IS ${key.missingLast ? '' : 'NOT '}NULL) ${dir}`, `o${i}.value ${dir}`);
    });
    terms.push(`r.luid ${dir}`);
    const sql = `SELECT r.luid FROM ${from} ${orderJoins.join(' ')} WHERE ${where} ORDER BY ${terms.join(', ')} LIMIT ? OFFSET ?`;
    const luids = this.cached(sql).pluck().all(...fromParams, ...orderJoinParams, ...whereParams, ...termParams, request.limit, request.offset) as number[];
    return { total, records: luids.map((luid) => this.recordByLuid(luid)!) };
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
      this.db.exec(`INSERT INTO ${p}props (luid, name, value) SELECT r.luid, j.key, j.value FROM ${p}records r, json_each(r.props) j`);
      for (const index of secondaryIndexes(p)) this.db.exec(index.ddl);
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
