/**
 * Filling the full-text tables (full-text.ts) from the records at once:
 * after a bulk load (a clone), when the app's text sources change, and in
 * a migration that changed what a row holds.
 *
 * Each record's text is composed once, by `recordText` itself called from
 * SQL, into a temporary table: the own rows are that table, and an owner's
 * `via` row is its sources' rows found through the property index (whose
 * entries for a name and value are a short range), so only each owner's
 * few sources are sorted. Composing each text twice, and grouping a quarter
 * of a million comments by their ticket, took most of a clone's index build.
 *
 * The `via` fill reads the property index, so it must be up to date first:
 * it is kept with every write, and a bulk load rebuilds it before this
 * (SqliteStore.restoreIndexes).
 */
import type Database from 'better-sqlite3';
import { fullTextTable, recordText, sqlTypeToken, viaTextTable } from './full-text.js';
import { nameIdSql } from './prop-names.js';
import type { RecordShapes } from './record-shapes.js';
import type { TextSource } from './store.js';

const RECORD_TEXT = 'prophet_record_text';

/**
 * Keeps SQLite from flattening a subquery into the query around it, which
 * would compute its text twice, once for the WHERE and once for the row
 * (a third of the build's time).
 */
const ONCE = 'LIMIT -1';
const TEXT_ROWS = 'temp.prophet_text_rows';

/** Composes the text of the live records (of these types, or all) into TEXT_ROWS. */
function composeTextRows(db: Database.Database, p: string, shapes: RecordShapes, types?: readonly string[]): void {
  // SQLite calls the function below, which cannot query: every shape is read first.
  shapes.loadAll();
  db.function(RECORD_TEXT, { deterministic: true }, (text: unknown) => recordText(shapes.decode(text as string)) ?? null);
  db.exec(`DROP TABLE IF EXISTS ${TEXT_ROWS}; CREATE TABLE ${TEXT_ROWS} (luid INTEGER PRIMARY KEY, type TEXT NOT NULL, text TEXT NOT NULL)`);
  const ofTypes = types ? `AND type IN (SELECT value FROM json_each(?))` : '';
  db.prepare(
    `INSERT INTO ${TEXT_ROWS} (luid, type, text) SELECT luid, type, text
     FROM (SELECT luid, type, ${RECORD_TEXT}(props) AS text FROM ${p}records WHERE live = 1 ${ofTypes} ${ONCE}) WHERE text IS NOT NULL`,
  ).run(...(types ? [JSON.stringify(types)] : []));
}

const dropTextRows = (db: Database.Database) => db.exec(`DROP TABLE ${TEXT_ROWS}`);

/** Both tables again from the records. */
export function rebuildFullText(db: Database.Database, p: string, sources: readonly TextSource[], shapes: RecordShapes): void {
  composeTextRows(db, p, shapes);
  fillOwnRows(db, p);
  fillViaRows(db, p, sources);
  dropTextRows(db);
}

/** The `via` table again from the records, for these sources. */
export function rebuildViaText(db: Database.Database, p: string, sources: readonly TextSource[], shapes: RecordShapes): void {
  composeTextRows(db, p, shapes, [...new Set(sources.map((s) => s.type))]);
  fillViaRows(db, p, sources);
  dropTextRows(db);
}

function fillOwnRows(db: Database.Database, p: string): void {
  const f = fullTextTable(p);
  db.exec(`INSERT INTO ${f} (${f}) VALUES ('delete-all');
    INSERT INTO ${f} (rowid, kind, text) SELECT luid, ${sqlTypeToken('type')}, text FROM ${TEXT_ROWS}`);
}

/**
 * Each owner's sources, per property naming it: the index's entries for
 * (property, owner's uuid) are the records naming it.
 * Two sources on one property are one lookup; a record that names its
 * owner by two properties counts twice, as in `viaText`.
 */
function fillViaRows(db: Database.Database, p: string, sources: readonly TextSource[]): void {
  const v = viaTextTable(p);
  db.exec(`INSERT INTO ${v} (${v}) VALUES ('delete-all')`);
  for (const owner of new Set(sources.map((s) => s.owner))) {
    const byProp = new Map<string, string[]>();
    for (const s of sources.filter((s) => s.owner === owner)) byProp.set(s.prop, [...(byProp.get(s.prop) ?? []), s.type]);
    const lookups = [...byProp].map(
      () => `SELECT t.luid, t.text FROM ${p}prop_values i CROSS JOIN ${TEXT_ROWS} t ON t.luid = i.luid
        WHERE i.name_id = ${nameIdSql(p)} AND i.value = o.uuid AND t.type IN (SELECT value FROM json_each(?))`,
    );
    db.prepare(
      `INSERT INTO ${v} (rowid, kind, text) SELECT luid, ${sqlTypeToken('type')}, text FROM (
         SELECT o.luid, o.type, (SELECT group_concat(s.text, char(10) ORDER BY s.luid) FROM (${lookups.join(' UNION ALL ')}) s) AS text
         FROM ${p}records o WHERE o.type = ? AND o.live = 1 ${ONCE})
       WHERE text IS NOT NULL`,
    ).run(...[...byProp].flatMap(([prop, types]) => [prop, JSON.stringify(types)]), owner);
  }
}
