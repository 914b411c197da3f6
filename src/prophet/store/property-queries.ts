import type Database from 'better-sqlite3';
import type { Properties } from '../model/types.js';
import { READ_COLUMNS, toRecord, type RawRecord } from './record-rows.js';
import { nameIdSql } from './prop-names.js';
import { entriesSql, valueSql } from './record-shapes.js';
import type { TablePrefix } from './schema.js';
import { INDEXED_CHARS, indexedValue, indexedValueSql, type IndexedFilter, type IndexEntries, type PageRequest, type RecordRow } from './store.js';

const entriesOf = (rows: Array<[number, string]>): IndexEntries => ({ luids: rows.map((row) => row[0]), values: rows.map((row) => row[1]) });

/** A filter's condition on the prop_values row `alias`: its name, then its value. */
function filterTest(p: string, f: IndexedFilter, alias: string): { sql: string; params: string[] } {
  const name = `${alias}.name_id = ${nameIdSql(p)}`;
  if ('values' in f) return { sql: `${name} AND ${alias}.value IN (${f.values.map(() => '?').join(',')})`, params: [f.name, ...f.values.map(indexedValue)] };
  const bounds = [f.from !== undefined && `${alias}.value >= ?`, f.below !== undefined && `${alias}.value < ?`].filter((b): b is string => !!b);
  return { sql: [name, ...bounds].join(' AND '), params: [f.name, ...[f.from, f.below].filter((b): b is string => b !== undefined)] };
}

/**
 * From this many records a page's sort values, or the values counted, are
 * read by scanning the property index's ranges of those names rather than
 * from each record's row.
 */
const SCAN_VALUES_FROM = 2000;

/** A record's value of a property (bound by name) as the property index holds it, read from the record's row `r`. */
const rowValue = (p: string) => indexedValueSql(valueSql(p, 'r', '?'));

/**
 * The store's reads through the property index (`prop_values`): records
 * by their values, pages in an order, counts of values, and the index's
 * own entries, each statement prepared once.
 */
export class PropertyQueries {
  private readonly hasIndex: Database.Statement;
  private readonly recordByLuid: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly prefix: TablePrefix,
    private readonly decode: (props: string) => Properties,
  ) {
    this.hasIndex = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck();
    this.recordByLuid = db.prepare(`SELECT ${READ_COLUMNS} FROM ${prefix}records WHERE luid = ?`);
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
    const test = filterTest(this.prefix, filter, 'v');
    return this.cached(`SELECT COUNT(*) FROM ${this.prefix}prop_values v WHERE ${test.sql}`).pluck().get(...test.params) as number;
  }

  /**
   * The prop_values rows `${alias}0`... of the records passing every
   * filter: `${alias}0` (the most selective filter's, by a count over the
   * index) drives, so only matching records are reached. Another filter's
   * values are looked up by the record's local id, the key's last column;
   * a range cannot be, so its records are gathered once (SQLite keeps an
   * `IN (SELECT …)` it does not depend on in a temporary index). CROSS JOIN
   * keeps SQLite from starting at the type index instead. The caller names
   * `${p}prop_values ${alias}0` first in its FROM, then `joins`, and puts
   * `first` in its WHERE.
   */
  private filterRows(filters: readonly IndexedFilter[], alias: string): { joins: string; joinParams: string[]; first: string; firstParams: string[] } {
    const p = this.prefix;
    const ordered = filters.length > 1 ? [...filters].sort((a, b) => this.countMatches(a) - this.countMatches(b)) : filters;
    const lead = ordered[0] ? filterTest(p, ordered[0], `${alias}0`) : { sql: '1', params: [] };
    const joins: string[] = [];
    const joinParams: string[] = [];
    const first = [lead.sql];
    const firstParams = [...lead.params];
    ordered.slice(1).forEach((f, i) => {
      const a = `${alias}${i + 1}`;
      const test = filterTest(p, f, a);
      if ('values' in f) {
        joins.push(`CROSS JOIN ${p}prop_values ${a} ON ${a}.luid = ${alias}0.luid AND ${test.sql}`);
        joinParams.push(...test.params);
      } else {
        first.push(`${alias}0.luid IN (SELECT ${a}.luid FROM ${p}prop_values ${a} WHERE ${test.sql})`);
        firstParams.push(...test.params);
      }
    });
    return { joins: joins.join(' '), joinParams, first: first.join(' AND '), firstParams };
  }

  liveRecordsWhere(type: string, filters: IndexedFilter[]): RecordRow[] {
    const p = this.prefix;
    const f = this.filterRows(filters, 'v');
    const sql = `SELECT ${READ_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM ${p}prop_values v0 ${f.joins} CROSS JOIN ${p}records r ON r.luid = v0.luid
      WHERE ${f.first} AND r.type = ? AND r.live = 1 ORDER BY r.luid`;
    return (this.cached(sql).all(...f.joinParams, ...f.firstParams, type) as RawRecord[]).map((r) => toRecord(r, this.decode)!);
  }

  liveIndexEntries(type: string, filter: IndexedFilter): IndexEntries {
    const p = this.prefix;
    const test = filterTest(p, filter, 'v');
    const sql = `SELECT v.luid, v.value FROM ${p}prop_values v WHERE ${test.sql} AND EXISTS (SELECT 1 FROM ${this.recordsByType()} WHERE r.luid = v.luid AND r.type = ? AND r.live = 1)`;
    return entriesOf(this.cached(sql).raw().all(...test.params, type) as Array<[number, string]>);
  }

  indexEntriesOf(name: string, luids: readonly number[]): IndexEntries {
    const p = this.prefix;
    // The index is keyed by value: few records' values are read from their rows, many by reading the property's range whole.
    const sql =
      luids.length <= SCAN_VALUES_FROM
        ? `SELECT r.luid, ${rowValue(p)} FROM json_each(?) l CROSS JOIN ${p}records r ON r.luid = l.value WHERE ${rowValue(p)} IS NOT NULL`
        : `SELECT v.luid, v.value FROM ${p}prop_values v WHERE v.luid IN (SELECT value FROM json_each(?)) AND v.name_id = ${nameIdSql(p)}`;
    const params = luids.length <= SCAN_VALUES_FROM ? [name, JSON.stringify(luids), name] : [JSON.stringify(luids), name];
    return entriesOf(this.cached(sql).raw().all(...params) as Array<[number, string]>);
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
    const from = filtered ? `${p}prop_values f0 ${f.joins} CROSS JOIN ${this.recordsByType()} ON r.luid = f0.luid` : `${p}records r`;
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
    // grouped by local id, instead of from each record's row (a page each,
    // where they sit among large values). Few: from their rows.
    const scan = request.order.length > 0 && total > SCAN_VALUES_FROM;
    const terms: string[] = [];
    const termParams: unknown[] = [];
    request.order.forEach((key, i) => {
      if (key.rank?.length) {
        terms.push(`CASE k${i} ${key.rank.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END ${dir}`);
        key.rank.forEach((v, n) => termParams.push(v, n));
        termParams.push(key.rank.length);
      }
      terms.push(`(k${i} IS ${key.missingLast ? '' : 'NOT '}NULL) ${dir}`, `k${i} ${dir}`);
      // Values the index holds cut short, alike in their first characters: ordered by the records' own.
      terms.push(`CASE WHEN length(k${i}) >= ${INDEXED_CHARS} THEN (SELECT ${valueSql(p, 'w', '?')} FROM ${p}records w WHERE w.luid = page.luid) END ${dir}`);
      termParams.push(key.name);
    });
    terms.push(`luid ${dir}`);
    const names = request.order.map((key) => key.name);
    const sql = scan
      ? `SELECT luid FROM (SELECT luid, MAX(src = 0) AS candidate, ${names.map((_, i) => `MAX(CASE WHEN src = ${i + 1} THEN value END) AS k${i}`).join(', ')}
          FROM (SELECT r.luid AS luid, 0 AS src, NULL AS value FROM ${from} WHERE ${where}
            ${names.map((_, i) => `UNION ALL SELECT luid, ${i + 1}, value FROM ${p}prop_values WHERE name_id = ${nameIdSql(p)}`).join(' ')})
          GROUP BY luid) page WHERE candidate = 1 ORDER BY ${terms.join(', ')} LIMIT ? OFFSET ?`
      : `SELECT luid FROM (SELECT r.luid AS luid${names.map((_, i) => `, ${rowValue(p)} AS k${i}`).join('')} FROM ${from} WHERE ${where}) page ORDER BY ${terms.join(', ')} LIMIT ? OFFSET ?`;
    const params = scan ? [...fromParams, ...whereParams, ...names] : [...names, ...fromParams, ...whereParams];
    const luids = this.cached(sql).pluck().all(...params, ...termParams, request.limit, request.offset) as number[];
    return { total, records: luids.map((luid) => toRecord(this.recordByLuid.get(luid) as RawRecord, this.decode)!) };
  }

  liveValues(type: string, prop: string): string[] {
    const p = this.prefix;
    return this.cached(`SELECT DISTINCT v.value FROM ${p}prop_values v CROSS JOIN ${p}records r ON r.luid = v.luid WHERE v.name_id = ${nameIdSql(p)} AND r.type = ? AND r.live = 1`)
      .pluck()
      .all(prop, type) as string[];
  }

  liveRecordsByLuid(type: string, luids: readonly number[]): RecordRow[] {
    const p = this.prefix;
    // Driven from the list (CROSS JOIN), one row lookup each, rather than a scan of the type's records.
    const sql = `SELECT ${READ_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM json_each(?) j CROSS JOIN ${p}records r ON r.luid = j.value
      WHERE r.type = ? AND r.live = 1 ORDER BY r.luid`;
    return (this.cached(sql).all(JSON.stringify(luids), type) as RawRecord[]).map((r) => toRecord(r, this.decode)!);
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
    return this.hasIndex.get(index) ? `${this.prefix}records r INDEXED BY ${index}` : `${this.prefix}records r`;
  }

  liveValueCounts(type: string, names: string[], filters: IndexedFilter[]): Array<[string, string, number]> {
    const p = this.prefix;
    const f = this.filterRows(filters, 'f');
    const named = names.map(() => '?').join(',');
    const rows = (sql: string, params: unknown[]) => this.cached(sql).raw().all(...params) as Array<[string, string, number]>;
    // Few records pass the filters (counted over the index): their values are read from their rows.
    const e = entriesSql(p, 'r', 'e');
    if (filters.length && Math.min(...filters.map((filter) => this.countMatches(filter))) <= SCAN_VALUES_FROM) {
      return rows(
        `SELECT ${e.name}, ${indexedValueSql(e.value)}, COUNT(*) FROM ${p}prop_values f0 ${f.joins} CROSS JOIN ${p}records r ON r.luid = f0.luid ${e.join}
          WHERE ${f.first} AND r.type = ? AND r.live = 1 AND ${e.name} IN (${named}) GROUP BY 1, 2`,
        [...f.joinParams, ...f.firstParams, type, ...names],
      );
    }
    // Many: the counted names' ranges of the index are read whole, keeping the records that pass.
    const passing = filters.length ? `AND v.luid IN (SELECT f0.luid FROM ${p}prop_values f0 ${f.joins} WHERE ${f.first})` : '';
    return rows(
      `SELECT (SELECT n.name FROM ${p}prop_names n WHERE n.id = v.name_id), v.value, COUNT(*) FROM ${p}prop_values v WHERE v.name_id IN (SELECT id FROM ${p}prop_names WHERE name IN (${named})) ${passing}
        AND EXISTS (SELECT 1 FROM ${this.recordsByType()} WHERE r.luid = v.luid AND r.type = ? AND r.live = 1) GROUP BY v.name_id, v.value`,
      [...names, ...f.joinParams, ...f.firstParams, type],
    );
  }
}
