import { ProphetError } from '../model/errors.js';
import { comparison, parseQuery, timeBounds, type ParsedQuery, type PropTerm, type QueryTerm, type RegexTerm, type TextTerm } from '../model/query.js';
import type { RecordState } from '../model/types.js';
import type { IndexedFilter, RecordRow } from '../store/store.js';
import { bestMatches, hasMatch, intersectionOfMatches, matchesWithout, rankOf, type TextMatches } from '../store/text-matches.js';
import { exactMatches, indexedValues, wholeInIndex, type ExactFilter } from './indexed-query.js';
import { compilePattern } from './pattern.js';
import { storeOf, type Replica } from './replica.js';

/**
 * A condition on a record: a test, and filters the property index can
 * narrow the candidates by, which every record passing the test passes
 * (they may let more through: the test decides).
 */
export interface Condition {
  test: (record: RecordRow) => boolean;
  indexed?: IndexedFilter[];
  /** When the property index's values decide the condition alone: it holds exactly for the records every one of these finds. */
  exact?: ExactFilter[];
}

export interface QueryOptions {
  /** Conditions from another grammar (`-- prop=value`), AND-ed with the query's. */
  conditions?: Condition[];
  /** Records to skip and the most to return, after sorting (REST paging); a query's own `limit:` applies too. */
  offset?: number;
  limit?: number;
  /** The time ages (`created:>=7d`) count back from; now by default. */
  now?: number;
}

export interface QueryResult {
  /** The page asked for, in order. */
  records: RecordState[];
  /** How many records matched, before offset and limit. */
  total: number;
}

/** App words may expand into words; a word expanding into itself must not loop for ever. */
const MAX_EXPANSION_DEPTH = 8;

/** `id`, `luid` and `uuid` name the record's own fields, which the property index does not hold. */
const isRecordField = (prop: string) => prop === 'id' || prop === 'luid' || prop === 'uuid';

function propValue(r: RecordRow, prop: string): string | undefined {
  return isRecordField(prop) ? (prop === 'uuid' ? r.uuid : String(r.luid)) : r.props[prop];
}

/** A negated condition also holds for records without the property, which the index does not list: only a test decides it. */
function negate(c: Condition, negated: boolean): Condition {
  return negated ? { test: (r) => !c.test(r) } : c;
}

function propCondition(term: PropTerm, now: number): Condition {
  const { prop, values } = term;
  if (isRecordField(prop)) {
    const holds = term.op === ':' ? (v: string) => values.includes(v) : comparison(term.op, values[0]!, now);
    return negate({ test: (r) => holds(propValue(r, prop)!) }, term.negated);
  }
  if (term.op === ':') {
    const wanted = new Set(values);
    const indexed = [{ name: prop, values }];
    const exact = wholeInIndex(values) ? indexed.map((filter) => ({ filter })) : undefined;
    return negate({ test: (r) => wanted.has(r.props[prop] ?? ''), indexed, exact }, term.negated);
  }
  const holds = comparison(term.op, values[0]!, now);
  const test = (r: RecordRow) => {
    const v = r.props[prop];
    return v !== undefined && holds(v);
  };
  const bounds = timeBounds(term.op, values[0]!, now);
  const filter = { name: prop, ...bounds };
  return negate({ test, indexed: bounds && [filter], exact: [{ filter, holds }] }, term.negated);
}

function regexCondition(term: RegexTerm): Condition {
  const matches = compilePattern(term.pattern, `the pattern for '${term.prop}'`);
  return negate({ test: (r) => matches(propValue(r, term.prop) ?? '') }, term.negated);
}

/** The query's property terms as conditions, app words (`is:active`) expanded by the type's hooks. */
function conditionsOf(replica: Replica, type: string, terms: QueryTerm[], now: number, depth = 0): Condition[] {
  if (depth > MAX_EXPANSION_DEPTH) throw new ProphetError(`the query words of '${type}' expand into each other without end`, 'internal');
  const words = replica.recordTypeDefinition(type)?.queryWords ?? {};
  const out: Condition[] = [];
  for (const term of terms) {
    if (term.kind === 'text') continue;
    if (term.kind === 'regex') {
      out.push(regexCondition(term));
      continue;
    }
    const word = Object.hasOwn(words, term.prop) ? words[term.prop]! : undefined;
    const expansion = word?.({ ...term, negated: false }, replica);
    if (expansion === undefined) {
      out.push(propCondition(term, now));
    } else if (typeof expansion === 'function') {
      out.push(negate({ test: (r) => expansion(r) }, term.negated));
    } else {
      if (expansion.some((t) => t.kind === 'text')) throw new ProphetError(`the query word '${term.prop}:' expands into free text, which query words cannot`, 'internal');
      const group = conditionsOf(replica, type, expansion, now, depth + 1);
      const exact = group.every((c) => c.exact) ? group.flatMap((c) => c.exact!) : undefined;
      const all: Condition = { test: (r) => group.every((c) => c.test(r)), indexed: group.flatMap((c) => c.indexed ?? []), exact };
      out.push(negate(all, term.negated));
    }
  }
  return out;
}

/** The records text terms find, by local id with their score (undefined when every term is negated), and those a negated term rules out. */
interface TextFound {
  scores: TextMatches | undefined;
  excluded: Set<number>;
}

/** A text term as an FTS5 string: quoted, so nothing the user typed is read as FTS5 syntax (a NUL would end FTS5's reading of it). */
function ftsString(term: TextTerm): string {
  return `"${term.text.replaceAll('\0', '').replaceAll('"', '""')}"${term.prefix ? '*' : ''}`;
}

/**
 * The records of `type` the text terms find, with a relevance score (lower
 * is better), or undefined when the query has no text term. Each term is
 * matched on its own so a word may be in the record and another in one of
 * its comments (`textFrom`); a record must be found by every positive term
 * and by no negated one.
 */
function textMatches(replica: Replica, type: string, terms: TextTerm[], ranked: boolean, among?: readonly number[]): TextFound | undefined {
  if (!terms.length) return undefined;
  const store = storeOf(replica);
  const found = (term: TextTerm, rank: boolean) =>
    among ? store.textMatchesAmong(ftsString(term), among, type, rank) : store.textMatches(ftsString(term), type, rank);
  const excluded = new Set<number>();
  for (const t of terms.filter((t) => t.negated)) for (const luid of found(t, false).luids) excluded.add(luid);
  let scores: TextMatches | undefined;
  for (const t of terms.filter((t) => !t.negated)) {
    const matches = found(t, ranked);
    scores = scores ? intersectionOfMatches(scores, matches) : matches;
  }
  return { scores: scores && matchesWithout(scores, excluded), excluded };
}

/** Below this many full-text matches, they are loaded by local id; above, equalities on indexed properties narrow first when there are some. */
const FEW_MATCHES = 1000;

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Compares two values for `sort:`: as numbers when both are, else as text; a missing value sorts last either way. */
function byValue(a: string | undefined, b: string | undefined, descending: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const order = NUMBER.test(a) && NUMBER.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;
  return descending ? -order : order;
}

/**
 * Runs a query (text in the query language, or already parsed) over the
 * live records of `type`. Free words and phrases go through the full-text
 * index, equalities (`status:open`, `is:active` when the app makes it one)
 * through the property index; what is left is tested on those candidates.
 * Sorted by `sort:`, else by relevance when there are free words, else by
 * local id.
 */
export function runQuery(replica: Replica, type: string, query: string | ParsedQuery, opts: QueryOptions = {}): QueryResult {
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  const now = opts.now ?? Date.now();
  const conditions = [...conditionsOf(replica, type, parsed.terms, now), ...(opts.conditions ?? [])];
  const byRelevance = parsed.sort === undefined || parsed.sort.prop === 'relevance';
  const textTerms = parsed.terms.filter((t): t is TextTerm => t.kind === 'text');
  const limits = [parsed.limit, opts.limit].filter((n): n is number => n !== undefined);
  const page: Page = { offset: opts.offset ?? 0, limit: limits.length ? Math.min(...limits) : undefined };
  const descending = parsed.sort?.descending ?? false;
  const sortProp = byRelevance ? undefined : parsed.sort!.prop;
  const answered = indexAnswer(replica, type, conditions, textTerms, sortProp, descending, page);
  if (answered) return answered;

  // Equalities that leave few records narrow first: the words are then looked up for those records only.
  const indexed = conditions.flatMap((c) => c.indexed ?? []);
  const narrowed = textTerms.length && indexed.length ? storeOf(replica).liveRecordsWhere(type, indexed) : undefined;
  const few = narrowed && narrowed.length < FEW_MATCHES ? narrowed : undefined;
  const text = textMatches(replica, type, textTerms, byRelevance, few?.map((r) => r.luid));
  // Words alone, ranked: the order is known from the index, so only the page's records are read.
  if (text?.scores && byRelevance && !conditions.length) return rankedPage(replica, type, text.scores, descending, page);

  const pool = few ? few.filter((r) => admits(text!, r.luid)) : candidates(replica, type, text, indexed);
  const found = pool.filter((r) => conditions.every((c) => c.test(r)));
  const scores = text?.scores;
  if (byRelevance && scores) {
    const ranks = new Map(found.map((r) => [r.luid, rankOf(scores, r.luid)]));
    const score = (r: RecordRow) => ranks.get(r.luid)!;
    found.sort((a, b) => (descending ? -1 : 1) * (score(a) - score(b)) || a.luid - b.luid);
  } else if (sortProp !== undefined) {
    found.sort((a, b) => byValue(propValue(a, sortProp), propValue(b, sortProp), descending) || a.luid - b.luid);
  } else {
    found.sort((a, b) => a.luid - b.luid);
  }
  const records = found.slice(page.offset, page.limit === undefined ? undefined : page.offset + page.limit);
  return { records: records.map(recordState), total: found.length };
}

const recordState = ({ luid, uuid, type, props }: RecordRow): RecordState => ({ luid, uuid, type, props });

/** The records a query's conditions are tested on: those its words find, else those its indexed equalities find, else all of the type. */
function candidates(replica: Replica, type: string, text: TextFound | undefined, indexed: IndexedFilter[]): RecordRow[] {
  const store = storeOf(replica);
  if (text?.scores && (text.scores.luids.length < FEW_MATCHES || !indexed.length)) return store.liveRecordsByLuid(type, text.scores.luids);
  const found = indexed.length ? store.liveRecordsWhere(type, indexed) : store.liveRecords(type);
  return text ? found.filter((r) => admits(text, r.luid)) : found;
}

/** Whether the words let a record through: found by every positive one, or, with only negated ones, by none. */
function admits(text: TextFound, luid: number): boolean {
  return text.scores ? hasMatch(text.scores, luid) : !text.excluded.has(luid);
}

interface Page {
  offset: number;
  limit?: number;
}

/** The records of these local ids, in this order. */
function inOrder(replica: Replica, type: string, luids: number[]): RecordState[] {
  const byLuid = new Map(storeOf(replica).liveRecordsByLuid(type, luids).map((r) => [r.luid, r]));
  return luids.map((luid) => recordState(byLuid.get(luid)!));
}

/** A page of the records the words found, best first (or last), reading only those records. */
function rankedPage(replica: Replica, type: string, scores: TextMatches, descending: boolean, page: Page): QueryResult {
  return { records: inOrder(replica, type, bestMatches(scores, descending, page.offset, page.limit)), total: scores.luids.length };
}

/**
 * A page the indexes answer without reading more records than it holds,
 * when the query allows: conditions the property index's values decide,
 * or one word or phrase ranked by relevance.
 */
function indexAnswer(replica: Replica, type: string, conditions: Condition[], textTerms: TextTerm[], sortProp: string | undefined, descending: boolean, page: Page): QueryResult | undefined {
  if (!textTerms.length && conditions.length && conditions.every((c) => c.exact)) {
    return indexedPage(replica, type, conditions.flatMap((c) => c.exact!), sortProp, descending, page);
  }
  const [term] = textTerms;
  if (term && textTerms.length === 1 && !term.negated && sortProp === undefined && !conditions.length && page.limit !== undefined) {
    const { luids, total } = storeOf(replica).textPage(ftsString(term), type, descending, page.offset, page.limit);
    return { records: inOrder(replica, type, luids), total };
  }
  return undefined;
}

/**
 * A page of the records the exact conditions find, sorted by local id or
 * by a property's indexed values, reading only the page's records; or
 * undefined when the index cannot answer: a sort by the record's own id
 * or uuid, a value it holds cut short, or a sort without any filter.
 */
function indexedPage(replica: Replica, type: string, exact: ExactFilter[], sortProp: string | undefined, descending: boolean, page: Page): QueryResult | undefined {
  const store = storeOf(replica);
  if (sortProp !== undefined && isRecordField(sortProp)) return undefined;
  if (sortProp === undefined && exact.every((e) => !e.holds)) {
    // Equalities alone: the store counts and pages them itself; all of them are read in one join (the general path), not one by one.
    if (page.limit === undefined) return undefined;
    const { total, records } = store.liveRecordPage(type, { filters: exact.map((e) => e.filter), order: [], descending: false, offset: page.offset, limit: page.limit ?? -1 });
    return { records: records.map(recordState), total };
  }
  const read = sortProp === undefined ? undefined : { prop: sortProp, values: new Map<number, string>() };
  const found = exactMatches(store, type, exact, read);
  if (!found) return undefined;
  if (sortProp !== undefined) {
    // A property filtered on (`created:>=7d sort:-created`) had its values read already; a longer one than the index holds never passes.
    const values = read!.values.size ? read!.values : indexedValues(store, sortProp, found);
    if (!values) return undefined;
    found.sort((a, b) => byValue(values.get(a), values.get(b), descending) || a - b);
  }
  const wanted = found.slice(page.offset, page.limit === undefined ? undefined : page.offset + page.limit);
  return { records: inOrder(replica, type, wanted), total: found.length };
}
