import { INDEXED_CHARS, type IndexedFilter, type Store } from '../store/store.js';

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

/**
 * The local ids, ascending, of the live records of `type` every filter
 * holds for, read from the property index without loading a record; or
 * undefined when a value a test needs is cut short there, so only the
 * record's own value can decide.
 */
export function exactMatches(store: Store, type: string, filters: readonly ExactFilter[]): number[] | undefined {
  let found: Set<number> | undefined;
  for (const { filter, holds } of narrowestRanges(filters)) {
    const { luids, values } = store.liveIndexEntries(type, filter);
    const passing = new Set<number>();
    for (let i = 0; i < luids.length; i++) {
      const luid = luids[i]!;
      if (found && !found.has(luid)) continue;
      if (holds) {
        const value = values[i]!;
        if (mayBeCutShort(value)) return undefined;
        if (!holds(value)) continue;
      }
      passing.add(luid);
    }
    found = passing;
  }
  return [...(found ?? [])].sort((a, b) => a - b);
}

/**
 * The filters with the ranges on one property made one, from the latest
 * start to the earliest end, testing every comparison: `created:>=A
 * created:<B` reads the entries between A and B once, not those after A
 * and then those before B.
 */
function narrowestRanges(filters: readonly ExactFilter[]): ExactFilter[] {
  const ranges = new Map<string, ExactFilter>();
  const equalities: ExactFilter[] = [];
  for (const f of filters) {
    const seen = ranges.get(f.filter.name);
    if ('values' in f.filter) equalities.push(f);
    else if (!seen || 'values' in seen.filter) ranges.set(f.filter.name, f);
    else ranges.set(f.filter.name, { filter: narrower(seen.filter, f.filter), holds: both(seen.holds, f.holds) });
  }
  return [...ranges.values(), ...equalities];
}

type Range = { name: string; from?: string; below?: string };

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
