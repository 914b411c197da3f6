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
 * What a row's text is must be the same whichever program writes it (the
 * live path in JavaScript, the rebuild after a bulk load in SQL), so it is
 * a fixed rule of the values alone: every value, in property-name order,
 * one per line, except values that cannot be text people search for:
 * longer than LONG_VALUE characters without a single space, tab or newline
 * (base64 payloads, keys, signatures). A `via` row is its records' texts in
 * local id order, one per line.
 *
 * The tokenizer is `unicode61` with `remove_diacritics 2`, so `cafe` finds
 * `café`; it has no stemming. Scripts written without spaces (Chinese,
 * Japanese) index each run of characters as one word: found by that exact
 * run or a prefix of it (`東京*`).
 */
import type { Properties } from '../model/types.js';
import type { TextSource } from './store.js';

/** Values at least this long with no whitespace are not indexed. */
export const LONG_VALUE = 256;

export const fullTextTable = (p: string) => `${p}fulltext`;
export const viaTextTable = (p: string) => `${p}fulltext_via`;

/** A record type as one FTS5 token: `t` and the hex of its UTF-8 bytes, whatever characters the name has. */
export function typeToken(type: string): string {
  return `t${Buffer.from(type, 'utf8').toString('hex')}`;
}
const sqlTypeToken = (column: string) => `'t' || lower(hex(${column}))`;

function createTable(name: string): string {
  return `CREATE VIRTUAL TABLE ${name} USING fts5(kind, text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`;
}

/** Both tables, replacing any of an older shape. */
export function createFullTextTables(p: string): string {
  return [fullTextTable(p), viaTextTable(p)].map((t) => `DROP TABLE IF EXISTS ${t}; ${createTable(t)};`).join('\n');
}

export function clearFullTextTable(p: string): string {
  return `INSERT INTO ${fullTextTable(p)} (${fullTextTable(p)}) VALUES ('delete-all')`;
}

export function clearViaTextTable(p: string): string {
  return `INSERT INTO ${viaTextTable(p)} (${viaTextTable(p)}) VALUES ('delete-all')`;
}

/** The SQL form of `recordText` for the record `r`. */
const sqlRecordText = `(SELECT group_concat(j.value, char(10) ORDER BY j.key) FROM json_each(r.props) j
  WHERE length(j.value) < ${LONG_VALUE} OR instr(j.value, ' ') OR instr(j.value, char(9)) OR instr(j.value, char(10)))`;

/** The SQL form of the live path's own rows, over every record: the rebuild after a bulk load. */
export function fillFullTextTable(p: string): string {
  return `INSERT INTO ${fullTextTable(p)} (rowid, kind, text)
    SELECT luid, kind, text FROM (SELECT r.luid, ${sqlTypeToken('r.type')} AS kind, ${sqlRecordText} AS text FROM ${p}records r WHERE r.live = 1)
    WHERE text IS NOT NULL`;
}

/**
 * The SQL form of the live path's `via` rows, over every owner: the rebuild
 * after a bulk load, or when the sources change. Its parameter is
 * `sourcesParam(sources)`.
 */
export function fillViaTextTable(p: string): string {
  return `INSERT INTO ${viaTextTable(p)} (rowid, kind, text)
    SELECT o.luid, ${sqlTypeToken('o.type')}, group_concat(c.text, char(10) ORDER BY c.luid)
    FROM (SELECT r.luid, json_extract(r.props, s.path) AS owner, s.owner_type, ${sqlRecordText} AS text
      FROM (SELECT json_extract(value, '$.type') AS type, json_extract(value, '$.path') AS path, json_extract(value, '$.owner') AS owner_type FROM json_each(?)) s
      CROSS JOIN ${p}records r ON r.type = s.type AND r.live = 1) c
    CROSS JOIN ${p}records o ON o.uuid = c.owner
    WHERE o.type = c.owner_type AND o.live = 1 AND c.text IS NOT NULL
    GROUP BY o.luid ORDER BY o.luid`;
}

export const sourcesParam = (sources: readonly TextSource[]) =>
  JSON.stringify(sources.map((s) => ({ owner: s.owner, type: s.type, path: `$.${JSON.stringify(s.prop)}` })));

const indexed = (value: string) => value.length < LONG_VALUE || /[ \t\n]/.test(value);

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
