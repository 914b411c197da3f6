import { ProphetError } from '../model/errors.js';
import { propertyNameProblem } from '../model/property-names.js';
import type { RecordState } from '../model/types.js';
import { indexedValue, type OrderKey, type RecordRow } from '../store/store.js';
import { compilePattern } from './pattern.js';
import { mayBeCutShort, wholeInIndex } from './indexed-query.js';
import { runQuery, type Condition } from './query.js';
import { storeOf, type Replica } from './replica.js';

export type Comparator = '=' | '!=' | '=~' | '!~';

export interface Criterion {
  prop: string;
  cmp: Comparator;
  value: string;
}

export interface SearchQuery {
  criteria?: Criterion[];
  /** Some property value must match this regular expression (see pattern.ts for the syntax). */
  regex?: string;
}

function matcher(c: Criterion): (value: string) => boolean {
  switch (c.cmp) {
    case '=':
      return (v) => v === c.value;
    case '!=':
      return (v) => v !== c.value;
    case '=~':
      return compilePattern(c.value, `the pattern for '${c.prop}'`);
    case '!~': {
      const matches = compilePattern(c.value, `the pattern for '${c.prop}'`);
      return (v) => !matches(v);
    }
  }
}

/**
 * The `-- prop=value` grammar's criteria as query conditions: criteria on
 * one property are OR-ed, criteria on different properties AND-ed; a
 * missing property compares as the empty string.
 */
export function criteriaConditions(query: SearchQuery): Condition[] {
  const byProp = new Map<string, Criterion[]>();
  for (const c of query.criteria ?? []) {
    const problem = propertyNameProblem(c.prop);
    if (problem) throw new ProphetError(problem, 'usage');
    byProp.set(c.prop, [...(byProp.get(c.prop) ?? []), c]);
  }
  const conditions: Condition[] = [...byProp.entries()].map(([prop, cs]) => {
    const ms = cs.map(matcher);
    // The index answers equalities exactly for values it holds whole.
    const equalities = cs.every((c) => c.cmp === '=' && c.value !== '' && indexedValue(c.value) === c.value);
    const filter = { name: prop, values: cs.map((c) => c.value) };
    return {
      test: (r: RecordRow) => ms.some((m) => m(r.props[prop] ?? '')),
      indexed: equalities ? [filter] : undefined,
      exact: equalities && wholeInIndex(filter.values) ? [{ filter }] : undefined,
    };
  });
  if (query.regex !== undefined) {
    const matches = compilePattern(query.regex, 'the --regex');
    conditions.push({ test: (r) => Object.values(r.props).some(matches) });
  }
  return conditions;
}

/**
 * Records of a type matching the criteria, sorted by local id.
 * Properties constrained only by equality are matched through the
 * property index.
 */
export function search(replica: Replica, type: string, query: SearchQuery = {}): RecordState[] {
  return runQuery(replica, type, { terms: [] }, { conditions: criteriaConditions(query) }).records;
}

export type { OrderKey };

export interface PageOptions {
  order: OrderKey[];
  descending?: boolean;
  offset: number;
  limit: number;
}

export interface SearchPage {
  /** How many records match in all. */
  total: number;
  records: RecordState[];
}

/**
 * One page of `search`, ordered by property values (then local id) in the
 * store: a query the property index answers alone never loads more than
 * the page; any other (a pattern, a regex) is matched first, then ordered.
 */
export function searchPage(replica: Replica, type: string, query: SearchQuery, page: PageOptions): SearchPage {
  const conditions = criteriaConditions(query);
  // The criteria's index filters are exact (criteriaConditions): the index can answer alone.
  const simple = conditions.every((c) => c.indexed);
  const among = simple ? undefined : search(replica, type, query).map((r) => r.luid);
  const { total, records } = storeOf(replica).liveRecordPage(type, {
    filters: simple ? conditions.flatMap((c) => c.indexed!) : [],
    among,
    order: page.order,
    descending: !!page.descending,
    offset: page.offset,
    limit: page.limit,
  });
  return { total, records: records.map(({ luid, uuid, type: t, props }) => ({ luid, uuid, type: t, props })) };
}

/** Counts by value: property name → value → how many records hold it. */
export type ValueCounts = Map<string, Map<string, number>>;

/**
 * How many records of a type matching the query hold each value of each
 * of `props` (a record without the property is not counted), as a
 * project's overview shows them. Counted in the store, no record loaded,
 * when the property index answers the query alone.
 */
export function countValues(replica: Replica, type: string, props: string[], query: SearchQuery = {}): ValueCounts {
  const conditions = criteriaConditions(query);
  const counts: ValueCounts = new Map(props.map((p) => [p, new Map<string, number>()]));
  const add = (name: string, value: string, n: number) => counts.get(name)!.set(value, (counts.get(name)!.get(value) ?? 0) + n);
  if (conditions.every((c) => c.exact)) {
    const store = storeOf(replica);
    const filters = conditions.flatMap((c) => c.indexed!);
    for (const [name, value, n] of store.liveValueCounts(type, props, filters)) {
      if (!mayBeCutShort(value)) add(name, value, n);
      // The index holds only these first characters, shared by maybe several values: the records say which.
      else for (const r of store.liveRecordsWhere(type, [...filters, { name, values: [value] }])) add(name, r.props[name]!, 1);
    }
  } else {
    for (const r of search(replica, type, query)) for (const p of props) if (r.props[p] !== undefined) add(p, r.props[p], 1);
  }
  return counts;
}

/** Records of `type` whose property `prop` holds `uuid`: the other end of a reference. */
export function referencing(replica: Replica, type: string, prop: string, uuid: string): RecordState[] {
  return storeOf(replica)
    .liveRecordsWhere(type, [{ name: prop, values: [uuid] }])
    .map(({ luid, uuid: u, type: t, props }) => ({ luid, uuid: u, type: t, props }));
}
