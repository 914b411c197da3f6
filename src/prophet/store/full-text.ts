/**
 * The full-text index: two FTS5 tables in the replica's SQLite file.
 *
 * `fulltext` holds one row per live record (rowid = its local id) with the
 * text of its property values. `fulltext_via` holds one row per live record
 * of a type that counts other records' text as its own (`TextSource`: a
 * ticket, its comments), rowid = that owner's local id, with the text of
 * those live records together. A search for tickets is then the matches of
 * both tables as they are, never a lookup per matching comment: a word in
 * every comment is a quarter of a million of them.
 *
 * Each row's `kind` column holds its record's type as one token (`typeToken`),
 * so a search for one type filters inside FTS5 (`kind : t… AND text : …`)
 * instead of reading each match's record. Deleted records have no rows: a
 * delete, and its undo, rewrites them.
 *
 * Both tables are contentless (the text lives in `records` already) with
 * `contentless_delete`, so a changed row is replaced by rowid.
 *
 * What a row's text is must be the same whichever path writes it (the live
 * path, or the rebuild after a bulk load: full-text-rebuild.ts, which calls
 * the same function from SQL), so it is a fixed rule of the values alone: every value, in property-name order,
 * one per line, except values that cannot be text people search for:
 * longer than LONG_VALUE characters without a single space, tab or newline
 * (base64 payloads, keys, signatures), identifiers: a value that is a
 * UUID names a record or a replica (a comment's ticket, the replica that
 * made it), found by `prop:value` through the property index. As words
 * they were a third of the index's text, each five tokens no one types,
 * and a third of the time a clone spent building it. And timestamps (a
 * record's `created`): six tokens each, numbers such as `2024`, `02` and
 * `00` that every record has, found by `created:>=2026-01-01` (schema
 * 14). A `via` row is its records' texts in local id order, one per line.
 *
 * The tokenizer is `unicode61` with `remove_diacritics 2`, so `cafe` finds
 * `café`; it has no stemming. Scripts written without spaces (Chinese,
 * Japanese) index each run of characters as one word: found by that exact
 * run or a prefix of it (`東京*`).
 */
import type { Properties } from '../model/types.js';
import type { TextSource } from './store.js';
import { isUuid } from '../model/uuid.js';

/** Values at least this long with no whitespace are not indexed. */
export const LONG_VALUE = 256;

export const fullTextTable = (p: string) => `${p}fulltext`;
export const viaTextTable = (p: string) => `${p}fulltext_via`;

/** A record type as one FTS5 token: `t` and the hex of its UTF-8 bytes, whatever characters the name has. */
export function typeToken(type: string): string {
  return `t${Buffer.from(type, 'utf8').toString('hex')}`;
}
/** The SQL form of `typeToken` for a column. */
export const sqlTypeToken = (column: string) => `'t' || lower(hex(${column}))`;

function createTable(name: string): string {
  return `CREATE VIRTUAL TABLE ${name} USING fts5(kind, text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`;
}

/** Both tables, replacing any of an older shape. */
export function createFullTextTables(p: string): string {
  return [fullTextTable(p), viaTextTable(p)].map((t) => `DROP TABLE IF EXISTS ${t}; ${createTable(t)};`).join('\n');
}

/**
 * A value that is a date and a time, nothing else: as SD writes a
 * `created` (`2024-12-02 20:01:20`), as `toISOString` does
 * (`2024-12-02T20:01:20.502Z`), to the minute, with an offset.
 */
const TIMESTAMP = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?$/;

// The length test first (16 to 35: what TIMESTAMP can match) spares most values the pattern.
const indexed = (value: string) =>
  (value.length < LONG_VALUE || /[ \t\n]/.test(value)) && (value.length !== 36 || !isUuid(value)) && (value.length < 16 || value.length > 35 || !TIMESTAMP.test(value));

/** A record's indexed text, or undefined when it has none. */
export function recordText(props: Properties): string | undefined {
  const values = Object.keys(props)
    .sort()
    .map((name) => props[name]!)
    .filter(indexed);
  return values.length ? values.join('\n') : undefined;
}

/** An owner's `via` text from its live source records (any order), or undefined when they have none. */
export function viaText(sources: ReadonlyArray<{ luid: number; props: Properties }>): string | undefined {
  const texts = [...sources]
    .sort((a, b) => a.luid - b.luid)
    .map((s) => recordText(s.props))
    .filter((t): t is string => t !== undefined);
  return texts.length ? texts.join('\n') : undefined;
}

const sourceJson = ({ owner, type, prop }: TextSource) => JSON.stringify({ owner, type, prop });
const keyOf = (sources: readonly string[]) => `[${[...sources].sort().join(',')}]`;

/**
 * Sources in a fixed order, each once (an app naming one twice must not
 * count its text twice): how a store keeps them. Sorted by code unit, not
 * by locale: the first locale comparison loads ICU's collator, 10 ms on
 * every open.
 */
export const textSourcesKey = (sources: readonly TextSource[]) => keyOf([...new Set(sources.map(sourceJson))]);

/**
 * Whether a stored key names the wanted sources. One stored by an older
 * release may list them in its locale order, which is the same; or name
 * one twice, which is not: it is then written again and the table rebuilt.
 */
export function sameTextSources(stored: string | undefined, wanted: string): boolean {
  if (stored === undefined) return false;
  if (stored === wanted) return true;
  try {
    const listed: unknown = JSON.parse(stored);
    return Array.isArray(listed) && keyOf((listed as TextSource[]).map(sourceJson)) === wanted;
  } catch {
    return false;
  }
}
