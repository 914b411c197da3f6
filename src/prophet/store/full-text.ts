/**
 * The full-text index: an FTS5 table in the replica's SQLite file, one row
 * per record (rowid = its local id) holding the text of its property
 * values. It is contentless (the text lives in `records` already) with
 * `contentless_delete`, so a changed record's row is replaced by rowid.
 *
 * What a record's text is must be the same whichever program writes the
 * row (the live path here in JavaScript, the rebuild after a bulk load in
 * SQL), so it is a fixed rule of the values alone, knowing no app: every
 * value, in property-name order, one per line, except values that cannot
 * be text people search for: longer than LONG_VALUE characters without a
 * single space, tab or newline (base64 payloads, keys, signatures).
 * Deleted records keep their row, as they keep their `props` rows:
 * searches join `records` for the live ones, and an undone delete needs no
 * index work.
 *
 * The tokenizer is `unicode61` with `remove_diacritics 2`, so `cafe` finds
 * `café`; it has no stemming. Scripts written without spaces (Chinese,
 * Japanese) index each run of characters as one word: found by that exact
 * run or a prefix of it (`東京*`).
 */
import type { Properties } from '../model/types.js';

/** Values at least this long with no whitespace are not indexed. */
export const LONG_VALUE = 256;

export const fullTextTable = (p: string) => `${p}fulltext`;

/** Idempotent, as the rebuild is: a file whose schema version was set back (tests of older releases' files) may hold the table already. */
export function createFullTextTable(p: string): string {
  return `CREATE VIRTUAL TABLE IF NOT EXISTS ${fullTextTable(p)} USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`;
}

export function clearFullTextTable(p: string): string {
  return `INSERT INTO ${fullTextTable(p)} (${fullTextTable(p)}) VALUES ('delete-all')`;
}

/** The SQL form of `recordText`, over every record: the rebuild after a bulk load. */
export function fillFullTextTable(p: string): string {
  return `INSERT INTO ${fullTextTable(p)} (rowid, text)
    SELECT r.luid, group_concat(j.value, char(10) ORDER BY j.key) FROM ${p}records r, json_each(r.props) j
    WHERE length(j.value) < ${LONG_VALUE} OR instr(j.value, ' ') OR instr(j.value, char(9)) OR instr(j.value, char(10))
    GROUP BY r.luid`;
}

const indexed = (value: string) => value.length < LONG_VALUE || /[ \t\n]/.test(value);

/** A record's indexed text, or undefined when it has none. */
export function recordText(props: Properties): string | undefined {
  const values = Object.keys(props)
    .sort()
    .map((name) => props[name]!)
    .filter(indexed);
  return values.length ? values.join('\n') : undefined;
}
