/**
 * The PostgreSQL store's reads through the property index (`prop_values`):
 * records by their values, pages in an order, counts of values, the
 * index's own entries. The planner chooses how to reach them; each filter
 * is a condition on the record's index entries.
 */
import { INDEXED_CHARS, indexedValue, type IndexedFilter, type IndexEntries, type PageRequest } from '../store.js';
import type { TablePrefix } from '../schema.js';

/** A statement under construction: its parameters numbered as they are added. */
class Sql {
  readonly params: unknown[] = [];
  /** `$n` standing for `value`. */
  arg(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** A filter's condition on the prop_values row `alias`. */
function filterTest(q: Sql, f: IndexedFilter, alias: string): string {
  const name = `${alias}.name = ${q.arg(f.name)}`;
  if ('values' in f) return `${name} AND ${alias}.value = ANY(${q.arg(f.values.map(indexedValue))}::text[])`;
  const bounds = [f.from !== undefined && `${alias}.value >= ${q.arg(f.from)}`, f.below !== undefined && `${alias}.value < ${q.arg(f.below)}`].filter((b): b is string => !!b);
  return [name, ...bounds].join(' AND ');
}

export const RECORD_COLUMNS = 'r.luid, r.uuid, r.type, r.live, r.props';

/** The conditions that live records `r` of `type` pass every filter. */
function liveWhere(q: Sql, p: TablePrefix, type: string, filters: readonly IndexedFilter[]): string {
  const tests = filters.map((f, i) => `EXISTS (SELECT 1 FROM ${p}prop_values f${i} WHERE f${i}.luid = r.luid AND ${filterTest(q, f, `f${i}`)})`);
  return [`r.type = ${q.arg(type)}`, 'r.live', ...tests].join(' AND ');
}

const entriesOf = (rows: unknown[][]): IndexEntries => ({ luids: rows.map((row) => row[0] as number), values: rows.map((row) => row[1] as string) });

type Query = (sql: string, params: unknown[]) => unknown[][];

/** Rows of RECORD_COLUMNS of the live records of `type` passing every filter, in local id order. */
export function liveRecordsWhere(query: Query, p: TablePrefix, type: string, filters: readonly IndexedFilter[]): unknown[][] {
  const q = new Sql();
  return query(`SELECT ${RECORD_COLUMNS} FROM ${p}records r WHERE ${liveWhere(q, p, type, filters)} ORDER BY r.luid`, q.params);
}

export function liveIndexEntries(query: Query, p: TablePrefix, type: string, filter: IndexedFilter): IndexEntries {
  const q = new Sql();
  const test = filterTest(q, filter, 'v');
  return entriesOf(query(`SELECT v.luid, v.value FROM ${p}prop_values v JOIN ${p}records r ON r.luid = v.luid WHERE ${test} AND r.type = ${q.arg(type)} AND r.live ORDER BY v.value, v.luid`, q.params));
}

export function indexEntriesOf(query: Query, p: TablePrefix, name: string, luids: readonly number[]): IndexEntries {
  return entriesOf(query(`SELECT luid, value FROM ${p}prop_values WHERE name = $1 AND luid = ANY($2::bigint[]) ORDER BY luid`, [name, luids]));
}

/** The local ids of one page, ordered by their index values, and how many pass in all; the caller reads the page's records. */
export function livePage(query: Query, p: TablePrefix, type: string, request: PageRequest): { total: number; luids: number[] } {
  const q = new Sql();
  let where = liveWhere(q, p, type, request.filters);
  if (request.among) where += ` AND r.luid = ANY(${q.arg(request.among)}::bigint[])`;
  const total = query(`SELECT COUNT(*) FROM ${p}records r WHERE ${where}`, q.params)[0]![0] as number;
  if (request.limit === 0) return { total, luids: [] };
  const dir = request.descending ? 'DESC' : 'ASC';
  const keys: string[] = [];
  const terms: string[] = [];
  request.order.forEach((key, i) => {
    keys.push(`, (SELECT k.value FROM ${p}prop_values k WHERE k.luid = r.luid AND k.name = ${q.arg(key.name)}) AS k${i}`);
    if (key.rank?.length) terms.push(`COALESCE(array_position(${q.arg(key.rank)}::text[], k${i}) - 1, ${key.rank.length}) ${dir}`);
    terms.push(`(k${i} IS ${key.missingLast ? '' : 'NOT '}NULL) ${dir}`, `k${i} ${dir}`);
    // Values the index holds cut short, alike in their first characters: ordered by the records' own.
    terms.push(`CASE WHEN length(k${i}) >= ${INDEXED_CHARS} THEN (SELECT (w.props::jsonb ->> ${q.arg(key.name)}) COLLATE "C" FROM ${p}records w WHERE w.luid = page.luid) END ${dir}`);
  });
  terms.push(`luid ${dir}`);
  const limit = request.limit < 0 ? 'ALL' : q.arg(request.limit);
  const rows = query(`SELECT luid FROM (SELECT r.luid${keys.join('')} FROM ${p}records r WHERE ${where}) page ORDER BY ${terms.join(', ')} LIMIT ${limit} OFFSET ${q.arg(request.offset)}`, q.params);
  return { total, luids: rows.map((row) => row[0] as number) };
}

export function liveValueCounts(query: Query, p: TablePrefix, type: string, names: string[], filters: IndexedFilter[]): Array<[string, string, number]> {
  const q = new Sql();
  const named = q.arg(names);
  return query(
    `SELECT v.name, v.value, COUNT(*)::int FROM ${p}prop_values v JOIN ${p}records r ON r.luid = v.luid WHERE v.name = ANY(${named}::text[]) AND ${liveWhere(q, p, type, filters)} GROUP BY v.name, v.value ORDER BY v.name, v.value`,
    q.params,
  ) as Array<[string, string, number]>;
}
