/**
 * Keeping and searching the full-text index (full-text.ts says what its
 * rows hold): the rows a write transaction owes, written as it commits,
 * and the searches. Part of the SQLite store, which hands it its writes.
 */
import type Database from 'better-sqlite3';
import type { Properties } from '../model/types.js';
import { fullTextTable, recordText, typeToken, viaText, viaTextTable } from './full-text.js';
import { preparedOnUse } from './prepared-on-use.js';
import { nameIdSql } from './prop-names.js';
import { valueSql, type RecordShapes } from './record-shapes.js';
import { rebuildFullText, rebuildViaText } from './full-text-rebuild.js';
import { PendingText } from './pending-text.js';
import { EXISTENCE, type TextSource } from './store.js';
import { intersectionOfMatches, sortedWithout, unionOfMatches, type TextMatches } from './text-matches.js';

interface TextRecord {
  uuid: string;
  type: string;
  live: boolean;
  props: Properties;
}

/** The (luid, rank) rows of a query, gathered into two JSON arrays by SQLite: better-sqlite3 hands back tens of thousands of rows one by one several times slower. */
function asMatches(db: Database.Database, sql: string): Database.Statement {
  // LIMIT -1 keeps SQLite from flattening the rows' query into the aggregate, where FTS5's bm25 cannot run.
  return db.prepare(`SELECT json_group_array(luid), json_group_array(rank) FROM (${sql} LIMIT -1)`).raw();
}

/**
 * FTS5's bm25 (negative, lower is better) in units of 10⁻¹²: SQLite writes
 * 50,000 doubles as JSON text in about as long as bm25 takes to compute
 * them, integers in a fifth of that. Exact as numbers in JavaScript up to
 * a bm25 of 9,000, far beyond any; only scores closer than 10⁻¹² tie.
 */
const bm25 = (table: string) => `CAST(bm25(${table}, 0, 1) * 1e12 AS INTEGER)`;

/**
 * Up to this many matches are ranked by a lookup each: each costs a pass
 * over the phrase's documents, about 1/40 of ranking them all in one search.
 */
const RANKED_ONE_BY_ONE = 32;

export class FullTextIndex {
  /** Rows this transaction owes the index, written as it commits. */
  readonly pending = new PendingText();
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly p: string,
    /** The records whose text counts for others' (SqliteStore.useTextSources). */
    private sources: TextSource[],
    private readonly shapes: RecordShapes,
  ) {
    const q = (sql: string) => db.prepare(sql.replaceAll('$_', p));
    const [f, v] = [fullTextTable(p), viaTextTable(p)];
    const own = (ranked: boolean) => `SELECT rowid AS luid, ${ranked ? bm25(f) : '0'} AS rank FROM ${f} WHERE ${f} MATCH ?`;
    // Driven from the few records given: each is looked up in both tables by rowid.
    const among = (ranked: boolean) => `SELECT luid, MIN(rank) AS rank FROM (
        SELECT c.value AS luid, ${ranked ? bm25(f) : '0'} AS rank FROM json_each(?) c CROSS JOIN ${f} WHERE ${f} MATCH ? AND ${f}.rowid = c.value
        UNION ALL SELECT c.value, 0 FROM json_each(?) c CROSS JOIN ${v} WHERE ${v} MATCH ? AND ${v}.rowid = c.value)
      GROUP BY luid`;
    this.s = preparedOnUse({
      unindex: () => q('DELETE FROM $_fulltext WHERE rowid = ?'),
      index: () => q('INSERT INTO $_fulltext (rowid, kind, text) VALUES (?, ?, ?)'),
      unindexVia: () => q('DELETE FROM $_fulltext_via WHERE rowid = ?'),
      indexVia: () => q('INSERT INTO $_fulltext_via (rowid, kind, text) VALUES (?, ?, ?)'),
      record: () => q('SELECT uuid, type, live, props FROM $_records WHERE luid = ?'),
      luidOfUuid: () => q('SELECT luid FROM $_records WHERE uuid = ?').pluck(),
      storedValue: () => q(`SELECT ${valueSql(p, 'r', '?')} FROM $_records r WHERE r.luid = ?`).pluck(),
      sourceRecords: () => q(`SELECT r.luid, r.props FROM $_prop_values v CROSS JOIN $_records r ON r.luid = v.luid WHERE v.name_id = ${nameIdSql(p)} AND v.value = ? AND r.type = ? AND r.live = 1`),
      own: () => [asMatches(db, own(false)), asMatches(db, own(true))],
      via: () => db.prepare(`SELECT json_group_array(rowid) FROM ${v} WHERE ${v} MATCH ?`).pluck(),
      // SQLite keeps only the page's worth of ranks while it sorts, instead of handing back every one.
      ownPage: () => [false, true].map((descending) =>
        db.prepare(`SELECT rowid FROM ${f} WHERE ${f} MATCH ? ORDER BY ${bm25(f)} ${descending ? 'DESC' : 'ASC'}, rowid LIMIT ? OFFSET ?`).pluck(),
      ),
      among: () => [asMatches(db, among(false)), asMatches(db, among(true))],
    });
  }

  /** A record was inserted: its rows are owed, and its `via` row if it is an owner. */
  inserted(luid: number, type: string): void {
    this.pending.set(luid, true);
    if (this.sources.some((s) => s.owner === type)) this.pending.owner(luid);
  }

  /**
   * A record is about to be saved with these properties changed (EXISTENCE:
   * deleted or restored). Called before the write, to read what a source
   * record named before.
   */
  saving(luid: number, changed: readonly string[]): void {
    for (const name of changed) {
      if (name === EXISTENCE) {
        // Deleted or restored: if it is an owner, its `via` row goes or comes back.
        this.pending.owner(luid);
        continue;
      }
      // A source record that named another owner: that owner's `via` row loses its text.
      const before = this.sources.some((s) => s.prop === name) ? ((this.s.storedValue.get(name, luid) as string | null | undefined) ?? undefined) : undefined;
      if (before !== undefined) this.pending.owner(before);
    }
    this.pending.set(luid, false);
  }

  /**
   * Writes the rows owed, from the records as they are now: each table's
   * deletes, then its inserts, in rowid order (pending-text.ts says why).
   */
  write(insideTransaction: boolean): void {
    if (!this.pending.size) return;
    const { records, owners, ownerUuids } = this.pending.take(insideTransaction);
    const fresh = new Set<number>();
    const recomposed = new Set(owners);
    const named = new Set(ownerUuids);
    const rows: Array<[number, string, string]> = [];
    for (const [luid, inserted] of records) {
      if (inserted) fresh.add(luid);
      else this.s.unindex.run(luid);
      const record = this.record(luid);
      if (!record) continue;
      const text = record.live ? recordText(record.props) : undefined;
      if (text !== undefined) rows.push([luid, typeToken(record.type), text]);
      for (const source of this.sources) {
        const owner = record.type === source.type ? record.props[source.prop] : undefined;
        if (owner !== undefined) named.add(owner);
      }
    }
    for (const [luid, kind, text] of rows) this.s.index.run(luid, kind, text);
    for (const uuid of named) {
      const luid = this.s.luidOfUuid.get(uuid) as number | undefined;
      if (luid !== undefined) recomposed.add(luid);
    }
    this.writeVia([...recomposed].sort((a, b) => a - b), fresh);
  }

  /** Recomposes the `via` rows of these owners (in rowid order); those in `fresh` have none yet. */
  private writeVia(owners: number[], fresh: ReadonlySet<number>): void {
    const rows: Array<[number, string, string]> = [];
    for (const luid of owners) {
      const owner = this.record(luid);
      const sources = owner ? this.sources.filter((s) => s.owner === owner.type) : [];
      // Not an owner's type: it has no `via` row.
      if (!owner || !sources.length) continue;
      if (!fresh.has(luid)) this.s.unindexVia.run(luid);
      if (!owner.live) continue;
      const found = sources.flatMap((s) =>
        (this.s.sourceRecords.all(s.prop, owner.uuid, s.type) as Array<{ luid: number; props: string }>)
          .map((r) => ({ luid: r.luid, props: this.shapes.decode(r.props) }))
          .filter((r) => r.props[s.prop] === owner.uuid),
      );
      const text = viaText(found);
      if (text !== undefined) rows.push([luid, typeToken(owner.type), text]);
    }
    for (const [luid, kind, text] of rows) this.s.indexVia.run(luid, kind, text);
  }

  private record(luid: number): TextRecord | undefined {
    const raw = this.s.record.get(luid) as { uuid: string; type: string; live: number; props: string } | undefined;
    return raw && { uuid: raw.uuid, type: raw.type, live: raw.live === 1, props: this.shapes.decode(raw.props) };
  }

  /** Every row again from the records (after a bulk load). */
  rebuild(): void {
    rebuildFullText(this.db, this.p, this.sources, this.shapes);
  }

  /** The `via` rows again from the records, for these sources. */
  rebuildSources(sources: TextSource[]): void {
    this.sources = sources;
    rebuildViaText(this.db, this.p, sources, this.shapes);
  }

  matches(phrase: string, type: string, ranked: boolean): TextMatches {
    // A search inside a write transaction sees its writes.
    this.write(true);
    // The type is a token of each row, so FTS5 alone finds the live records
    // of the type: no match is looked up. FTS5's bm25 costs microseconds a
    // row, so only the records' own text is ranked: a word in every comment
    // must not cost a quarter of a million of them. Each table's matches
    // come in rowid order: merged here, as a GROUP BY over their union
    // costs more than the searches (a word in every ticket).
    const match = `kind : ${typeToken(type)} AND text : ${phrase}`;
    const viaLuids = JSON.parse(this.s.via.get(match) as string) as number[];
    return unionOfMatches(this.read(this.s.own[ranked ? 1 : 0]!, [match]), { luids: viaLuids, ranks: viaLuids.map(() => 0) });
  }

  /**
   * A page of `matches(phrase, type, true)` in bestMatches' order, and how
   * many there are: only the own matches' ranks are sorted, in SQLite;
   * those found through their sources alone (rank 0) come after them, or
   * first when `descending`.
   */
  page(phrase: string, type: string, descending: boolean, offset: number, limit: number): { luids: number[]; total: number } {
    this.write(true);
    const match = `kind : ${typeToken(type)} AND text : ${phrase}`;
    const own = this.read(this.s.own[0]!, [match]).luids;
    const viaOnly = sortedWithout(JSON.parse(this.s.via.get(match) as string) as number[], own);
    const ranked = (from: number, count: number) =>
      count > 0 && from < own.length ? (this.s.ownPage[descending ? 1 : 0]!.all(match, count, from) as number[]) : [];
    const [first, second] = descending ? [viaOnly, own] : [own, viaOnly];
    const fromFirst = descending ? viaOnly.slice(offset, offset + limit) : ranked(offset, limit);
    const secondOffset = Math.max(0, offset - first.length);
    const rest = limit - fromFirst.length;
    const fromSecond = descending ? ranked(secondOffset, rest) : viaOnly.slice(secondOffset, secondOffset + Math.max(0, rest));
    return { luids: [...fromFirst, ...fromSecond], total: first.length + second.length };
  }

  /**
   * Each record is looked up by its rowid. Ranked lookups cost more:
   * FTS5's bm25 counts the documents holding the phrase afresh for each
   * (its count is kept per search, and a rowid lookup is one), so only the
   * records found are ranked one by one, and beyond a few of them the
   * type's matches are ranked in one search instead.
   */
  matchesAmong(phrase: string, luids: readonly number[], type: string, ranked: boolean): TextMatches {
    this.write(true);
    const among = (statement: Database.Statement, some: readonly number[]) => {
      const [match, list] = [`text : ${phrase}`, JSON.stringify(some)];
      return this.read(statement, [list, match, list, match]);
    };
    const found = among(this.s.among[0]!, luids);
    if (!ranked || !found.luids.length) return found;
    if (found.luids.length <= RANKED_ONE_BY_ONE) return among(this.s.among[1]!, found.luids);
    return intersectionOfMatches(this.matches(phrase, type, true), found);
  }

  private read(statement: Database.Statement, params: unknown[]): TextMatches {
    const [luids, ranks] = statement.get(...params) as [string, string];
    return { luids: JSON.parse(luids) as number[], ranks: JSON.parse(ranks) as number[] };
  }
}
