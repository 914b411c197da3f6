import { ProphetError } from '../model/errors.js';
import { propertyNameProblem } from '../model/property-names.js';
import type { RecordState } from '../model/types.js';
import type { IndexedFilter, OrderKey, RecordRow } from '../store/store.js';
import { compilePattern } from './pattern.js';
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

function byProperty(criteria: Criterion[]): Map<string, Criterion[]> {
  const byProp = new Map<string, Criterion[]>();
  for (const c of criteria) {
    const problem = propertyNameProblem(c.prop);
    if (problem) throw new ProphetError(problem, 'usage');
    byProp.set(c.prop, [...(byProp.get(c.prop) ?? []), c]);
  }
  return byProp;
}

/** The properties constrained only by equality to non-empty values: those the property index answers. */
function indexedFilters(byProp: Map<string, Criterion[]>): IndexedFilter[] {
  return [...byProp.entries()]
    .filter(([, cs]) => cs.every((c) => c.cmp === '=' && c.value !== ''))
    .map(([name, cs]) => ({ name, values: cs.map((c) => c.value) }));
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
  const byProp = byProperty(query.criteria ?? []);
  const indexed = indexedFilters(byProp);
  const simple = query.regex === undefined && indexed.length === byProp.size;
  const among = simple ? undefined : search(replica, type, query).map((r) => r.luid);
  const { total, records } = storeOf(replica).liveRecordPage(type, {
    filters: simple ? indexed : [],
    among,
    order: page.order,
    descending: !!page.descending,
    offset: page.offset,
    limit: page.limit,
  });
  return { total, records: records.map(({ luid, uuid, type: t, props }) => ({ luid, uuid, type: t, props })) };
}

/**
 * Records of a type matching the query: criteria on one property are OR-ed,
 * criteria on different properties AND-ed; a missing property compares as
 * the empty string. Sorted by local id. Properties constrained only by
 * equality are matched through the property index.
 */
export function search(replica: Replica, type: string, query: SearchQuery = {}): RecordState[] {
  const byProp = byProperty(query.criteria ?? []);
  const tests = [...byProp.entries()].map(([prop, cs]) => {
    const ms = cs.map(matcher);
    return (r: RecordRow) => ms.some((m) => m(r.props[prop] ?? ''));
  });
  if (query.regex !== undefined) {
    const matches = compilePattern(query.regex, 'the --regex');
    tests.push((r) => Object.values(r.props).some(matches));
  }
  const indexed = indexedFilters(byProp);
  const candidates = indexed.length ? storeOf(replica).liveRecordsWhere(type, indexed) : storeOf(replica).liveRecords(type);
  return candidates.filter((r) => tests.every((t) => t(r))).map(({ luid, uuid, type: t, props }) => ({ luid, uuid, type: t, props }));
}

/** Records of `type` whose property `prop` holds `uuid`: the other end of a reference. */
export function referencing(replica: Replica, type: string, prop: string, uuid: string): RecordState[] {
  return storeOf(replica)
    .liveRecordsWhere(type, [{ name: prop, values: [uuid] }])
    .map(({ luid, uuid: u, type: t, props }) => ({ luid, uuid: u, type: t, props }));
}
