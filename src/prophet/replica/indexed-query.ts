import { INDEXED_CHARS, indexedValue, type IndexedFilter, type Store } from '../store/store.js';

/**
 * A condition the property index's values decide alone: it holds for a
 * record exactly when the record has an entry passing `filter` whose value
 * passes `holds` (any value, without one).
 */
export interface ExactFilter {
  filter: IndexedFilter;
  holds?: (value: string) => boolean;
}

/** Whether an index entry may be a longer value cut short (indexedValue, which counts code points: a length in code units is never less). */
export const mayBeCutShort = (value: string) => value.length >= INDEXED_CHARS;

/** Values the index holds whole, none empty (an empty value also matches a record without the property): the index then answers an equality alone. */
export const wholeInIndex = (values: readonly string[]) => values.every((v) => v !== '' && v.length < INDEXED_CHARS);

/** Below this many records found so far, the next filter reads their entries one by one rather than its whole range. */
const FEW_FOUND = 2000;

/**
 * The local ids, ascending, of the live records of `type` every filter
 * holds for, read from the property index without loading a record; or
 * undefined when there is no filter, or a value a test needs is cut short
 * there, so only the record's own value can decide. Equalities go first:
 * they are usually the narrowest.
 */
export function exactMatches(store: Store, type: string, filters: readonly ExactFilter[]): number[] | undefined {
  if (!filters.length) return undefined;
  let found: Set<number> | undefined;
  for (const { filter, holds } of narrowestRanges(filters)) {
    const few = found && found.size < FEW_FOUND;
    const { luids, values } = few ? store.indexEntriesOf(filter.name, [...found!]) : store.liveIndexEntries(type, filter);
    const passing = new Set<number>();
    for (let i = 0; i < luids.length; i++) {
      const [luid, value] = [luids[i]!, values[i]!];
      if (found && !found.has(luid)) continue;
      if (few && !inFilter(filter, value)) continue;
      if (holds) {
        if (mayBeCutShort(value)) return undefined;
        if (!holds(value)) continue;
      }
      passing.add(luid);
    }
    found = passing;
  }
  return [...found!].sort((a, b) => a - b);
}

/**
 * Whether an index entry passes a filter, as the store's SQL tests it. A
 * range's bounds are dates (timeBounds), plain ASCII, which JavaScript
 * orders against any text as SQLite's byte order does.
 */
function inFilter(filter: IndexedFilter, value: string): boolean {
  if ('values' in filter) return filter.values.some((v) => indexedValue(v) === value);
  return (filter.from === undefined || value >= filter.from) && (filter.below === undefined || value < filter.below);
}

type Range = Exclude<IndexedFilter, { values: string[] }>;

/**
 * The filters with the ranges on one property made one, from the latest
 * start to the earliest end, testing every comparison: `created:>=A
 * created:<B` reads the entries between A and B once, not those after A
 * and then those before B. Equalities first.
 */
function narrowestRanges(filters: readonly ExactFilter[]): ExactFilter[] {
  const ranges = new Map<string, { filter: Range; holds?: ExactFilter['holds'] }>();
  const equalities: ExactFilter[] = [];
  for (const { filter, holds } of filters) {
    if ('values' in filter) {
      equalities.push({ filter, holds });
      continue;
    }
    const seen = ranges.get(filter.name);
    ranges.set(filter.name, seen ? { filter: narrower(seen.filter, filter), holds: both(seen.holds, holds) } : { filter, holds });
  }
  return [...equalities, ...ranges.values()];
}

function narrower(a: Range, b: Range): Range {
  const from = a.from === undefined || (b.from !== undefined && b.from > a.from) ? b.from : a.from;
  const below = a.below === undefined || (b.below !== undefined && b.below < a.below) ? b.below : a.below;
  return { name: a.name, from, below };
}

function both(a: ExactFilter['holds'], b: ExactFilter['holds']): ExactFilter['holds'] {
  return a && b ? (v) => a(v) && b(v) : (a ?? b);
}

/** The values of `prop` the index holds for these records, by local id; undefined when one may be cut short. */
export function indexedValues(store: Store, prop: string, luids: readonly number[]): Map<number, string> | undefined {
  const { luids: holders, values } = store.indexEntriesOf(prop, luids);
  const byLuid = new Map<number, string>();
  for (let i = 0; i < holders.length; i++) {
    if (mayBeCutShort(values[i]!)) return undefined;
    byLuid.set(holders[i]!, values[i]!);
  }
  return byLuid;
}
