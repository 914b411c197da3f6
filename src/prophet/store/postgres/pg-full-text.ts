/**
 * Full text on PostgreSQL, found as FTS5 finds it on SQLite (full-text.ts):
 * words are runs of letters and digits, lower-cased, accents removed
 * (FTS5's `unicode61 remove_diacritics 2`), so `"cafe"` finds `café`. The
 * words and their positions are cut here and handed to PostgreSQL as
 * `tsvector` and `tsquery` literals, so PostgreSQL's own parser, which
 * splits differently (e-mail addresses, hyphenated words), plays no part.
 *
 * A record's own text is one row of `fulltext`. The text of its sources
 * (a ticket's comments) is not copied to the ticket as on SQLite: a search
 * finds the matching sources by their own rows and counts them for the
 * record their property names.
 */
import { recordText } from '../full-text.js';
import type { Properties } from '../../model/types.js';
import type { TablePrefix } from '../schema.js';
import type { TextSource } from '../store.js';
import type { TextMatches } from '../text-matches.js';

/** PostgreSQL keeps word positions up to this; later words share it. */
const MAX_POSITION = 16383;

/** The words of a text as FTS5's unicode61 tokenizer with remove_diacritics cuts them. */
export function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter((w) => w.length > 0);
}

const literal = (word: string) => `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/** A record's text as a tsvector literal (each word with its positions), or null when it has none to find. */
export function documentOf(live: boolean, props: Properties): string | null {
  const text = live ? recordText(props) : undefined;
  if (text === undefined) return null;
  const positions = new Map<string, number[]>();
  words(text).forEach((word, i) => {
    const list = positions.get(word) ?? [];
    if (list.length < 256) list.push(Math.min(i + 1, MAX_POSITION));
    positions.set(word, list);
  });
  if (!positions.size) return null;
  return [...positions].map(([word, at]) => `${literal(word)}:${[...new Set(at)].join(',')}`).join(' ');
}

/** An FTS5 phrase as query.ts writes it (`"words"`, `*` after it for a prefix) as a tsquery literal, or null when it holds no word. */
export function queryOf(phrase: string): string | null {
  const m = /^"((?:[^"]|"")*)"(\*?)$/s.exec(phrase.trim());
  const ws = words(m ? m[1]!.replaceAll('""', '"') : phrase);
  if (!ws.length) return null;
  return ws.map((w, i) => (i === ws.length - 1 && m?.[2] ? `${literal(w)}:*` : literal(w))).join(' <-> ');
}

/**
 * The statement of one search: live records of `$1` (type) whose own text
 * matches `$2` (tsquery), ranked when asked (ts_rank, negated so lower is
 * better and below 0, as FTS5's bm25), and those a live source's text
 * matching counts for, at rank 0; optionally only among `$3` (local ids).
 * Rows: (luid, rank), one per record, in local id order.
 */
export function matchesSql(p: TablePrefix, sources: readonly TextSource[], ranked: boolean, among: boolean): { sql: string; sourceParams: string[] } {
  const only = (alias: string) => (among ? ` AND ${alias}.luid = ANY($3::bigint[])` : '');
  const own = `SELECT r.luid, ${ranked ? '-ts_rank(f.doc, q)::float8' : '0::float8'} AS rank FROM ${p}fulltext f JOIN ${p}records r ON r.luid = f.luid, CAST($2 AS tsquery) q
    WHERE f.doc @@ q AND r.type = $1 AND r.live${only('r')}`;
  const sourceParams: string[] = [];
  const via = sources.map((s) => {
    const at = among ? 4 : 3;
    sourceParams.push(s.owner, s.type, s.prop);
    const [owner, type, prop] = [at + sourceParams.length - 3, at + sourceParams.length - 2, at + sourceParams.length - 1];
    return `SELECT o.luid, 0::float8 FROM ${p}fulltext f JOIN ${p}records c ON c.luid = f.luid JOIN ${p}records o ON o.uuid = (c.props::jsonb ->> $${prop}::text)
      WHERE f.doc @@ CAST($2 AS tsquery) AND $1 = $${owner}::text AND c.type = $${type}::text AND c.live AND o.type = $1 AND o.live${only('o')}`;
  });
  const sql = `SELECT luid, MIN(rank) FROM (${[own, ...via].join(' UNION ALL ')}) m GROUP BY luid ORDER BY luid`;
  return { sql, sourceParams };
}

export function asMatches(rows: unknown[][]): TextMatches {
  return { luids: rows.map((r) => r[0] as number), ranks: rows.map((r) => r[1] as number) };
}

/** A page of ranked matches: best first (own text by rank, then those found through sources), ties by local id; the whole order reversed when descending. */
export function pageOf(matches: TextMatches, descending: boolean, offset: number, limit: number): { luids: number[]; total: number } {
  const order = matches.luids.map((luid, i) => [matches.ranks[i]!, luid] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (descending) order.reverse();
  const end = limit < 0 ? undefined : offset + limit;
  return { luids: order.slice(offset, end).map(([, luid]) => luid), total: order.length };
}
