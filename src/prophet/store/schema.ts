import type Database from 'better-sqlite3';
import { ProphetError } from '../model/errors.js';
import { createFullTextTables } from './full-text.js';
import type { Properties } from '../model/types.js';
import { decodeHeads, encodeHeads } from './record-heads.js';
import { INDEXED_CHARS, indexedValueSql } from './store.js';
import { writeTransaction } from './write-transaction.js';
import { RecordShapes, SHAPES_TABLE } from './record-shapes.js';
import { NAMES_TABLE } from './prop-names.js';

/**
 * One SQLite file holds two replicas' tables: the main replica's (prefix
 * `main_`) and its resolution database's (prefix `res_`). Sharing the file
 * lets one transaction cover a conflict's changesets and its recorded vote.
 */
export const TABLE_PREFIXES = ['main_', 'res_'] as const;
export type TablePrefix = (typeof TABLE_PREFIXES)[number];

type Migration = (db: Database.Database, p: string) => void;

/** Metadata: set while a bulk load's indexes are out of date (SqliteStore.suspendIndexes). */
export const STALE_INDEX_KEY = 'search-index-stale';
/** Metadata: the app's text sources the `via` table was filled for (SqliteStore.useTextSources). */
export const TEXT_SOURCES_KEY = 'full-text-sources';

/** What may follow a signature's last colon (base64): the rest names the algorithm and key. */
const SIGNATURE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

/** The property index's entries in `table` cut to what it keeps (indexedValue). */
const cutLongValues = (table: string) => `UPDATE ${table} SET value = ${indexedValueSql('value')} WHERE length(value) > ${INDEXED_CHARS}`;

/** Has the store rebuild both search indexes from the records when it opens the file (restoreIndexes). */
function markIndexesStale(db: Database.Database, p: string): void {
  // A new file has nothing to index.
  if (!db.prepare(`SELECT 1 FROM ${p}records LIMIT 1`).get()) return;
  db.prepare(`INSERT OR REPLACE INTO ${p}metadata (key, value) VALUES (?, '1')`).run(STALE_INDEX_KEY);
}

/**
 * Append only: migration i brings a file from schema version i to i+1.
 * Migration 0 is the first release's schema; every later change to the
 * tables is a new migration.
 */
const MIGRATIONS: Migration[] = [
  (db, p) => {
    db.exec(`
      CREATE TABLE ${p}metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE ${p}changesets (
        seq INTEGER PRIMARY KEY,
        origin_uuid TEXT NOT NULL,
        origin_seq INTEGER NOT NULL,
        created TEXT NOT NULL,
        kind INTEGER NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE UNIQUE INDEX ${p}changesets_origin ON ${p}changesets(origin_uuid, origin_seq);
      CREATE TABLE ${p}records (
        luid INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        live INTEGER NOT NULL,
        props TEXT NOT NULL,
        heads TEXT NOT NULL
      );
      CREATE TABLE ${p}props (
        luid INTEGER NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (luid, name)
      ) WITHOUT ROWID;
      CREATE TABLE ${p}record_changes (
        luid INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (luid, seq)
      ) WITHOUT ROWID;
      CREATE TABLE ${p}merge_tickets (replica_uuid TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
    `);
  },
  // Signed changesets: the author's signature of the body, kept and relayed beside it (null: unsigned).
  (db, p) => {
    db.exec(`ALTER TABLE ${p}changesets ADD COLUMN signature TEXT`);
  },
  // Signatures beside the log, not in it: a changeset row with 141 more
  // characters packed three rows to a page instead of four (+30% pages). A
  // log is signed by few keys, so each key is kept once.
  (db, p) => {
    db.exec(`
      CREATE TABLE ${p}signing_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      CREATE TABLE ${p}signatures (seq INTEGER PRIMARY KEY, key_id INTEGER NOT NULL, signature TEXT NOT NULL);
      INSERT OR IGNORE INTO ${p}signing_keys (key)
        SELECT rtrim(signature, '${SIGNATURE_CHARS}') FROM ${p}changesets WHERE signature IS NOT NULL ORDER BY seq;
      INSERT INTO ${p}signatures (seq, key_id, signature)
        SELECT c.seq, k.id, substr(c.signature, length(k.key) + 1) FROM ${p}changesets c
        JOIN ${p}signing_keys k ON k.key = rtrim(c.signature, '${SIGNATURE_CHARS}') WHERE c.signature IS NOT NULL;
      ALTER TABLE ${p}changesets DROP COLUMN signature;
    `);
  },
  // The first full-text index: superseded by migration 5, which builds the current one.
  () => {},
  // The property index keeps only a value's first characters (indexedValue):
  // attachments' contents filled it with overflow pages, half the file.
  (db, p) => {
    db.exec(cutLongValues(`${p}props`));
  },
  // The full-text index with each row's record type as a token, live
  // records only, and a second table of owners' sources' text (full-text.ts):
  // a search no longer looks up each match. Filled by the move to schema 10.
  (db, p) => {
    db.exec(createFullTextTables(p));
  },
  // A record whose every head is the one changeset that made it keeps that
  // number alone as its heads (record-heads.ts); older releases would read it wrong.
  (db, p) => {
    const batch = db.prepare(`SELECT luid, live, props, heads FROM ${p}records WHERE luid > ? AND heads LIKE '{%' ORDER BY luid LIMIT 5000`);
    const save = db.prepare(`UPDATE ${p}records SET heads = ? WHERE luid = ?`);
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = batch.all(after) as Array<{ luid: number; live: number; props: string; heads: string }>;
      if (!rows.length) break;
      for (const row of rows) {
        const props = JSON.parse(row.props) as Properties;
        const heads = encodeHeads(decodeHeads(row.heads, row.live === 1, props), props);
        if (heads !== row.heads) save.run(heads, row.luid);
      }
      after = rows.at(-1)!.luid;
    }
  },
  // Changeset bodies written from here on may be deflated BLOBs (changeset-bodies.ts),
  // which older releases would hand out as the body; the text rows before stay as they are.
  () => {},
  // The property index as one table keyed (name, value, luid) instead of a
  // table keyed (luid, name) plus an index on (name, value): each value
  // once, and a bulk create's index writes in one B-tree
  // (docs/architecture.md, issue 16). Older releases would not find it.
  (db, p) => {
    db.exec(`
      CREATE TABLE ${p}prop_values (name TEXT NOT NULL, value TEXT NOT NULL, luid INTEGER NOT NULL, PRIMARY KEY (name, value, luid)) WITHOUT ROWID;
      INSERT INTO ${p}prop_values (name, value, luid) SELECT name, value, luid FROM ${p}props ORDER BY name, value, luid;
      DROP TABLE ${p}props;
    `);
  },
  // Identifiers (UUIDs) are no longer words of the full-text index
  // (full-text.ts): both tables are filled again by that rule, with the
  // property index, when the store first opens the file (restoreIndexes),
  // so in the layout of the migrations after this one.
  (db, p) => markIndexesStale(db, p),
  // A record's properties as its shape's id and its values, the names kept
  // once in prop_shapes (record-shapes.ts): a fifth of the records table.
  // Older releases would read the rows wrong.
  (db, p) => {
    db.exec(SHAPES_TABLE(p));
    const shapes = new RecordShapes(db, p);
    const batch = db.prepare(`SELECT luid, props FROM ${p}records WHERE luid > ? ORDER BY luid LIMIT 5000`).raw();
    const save = db.prepare(`UPDATE ${p}records SET props = ? WHERE luid = ?`);
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = batch.all(after) as Array<[number, string]>;
      if (!rows.length) break;
      for (const [luid, props] of rows) save.run(shapes.encode(JSON.parse(props) as Properties), luid);
      after = rows.at(-1)![0];
    }
  },
  // The property index keyed by the name's id (prop-names.ts): a seventh of
  // every entry was its name. Older releases would not find it.
  (db, p) => {
    db.exec(`
      ${NAMES_TABLE(p)};
      INSERT INTO ${p}prop_names (name) SELECT DISTINCT name FROM ${p}prop_values ORDER BY name;
      CREATE TABLE ${p}prop_values_by_id (name_id INTEGER NOT NULL, value TEXT NOT NULL, luid INTEGER NOT NULL, PRIMARY KEY (name_id, value, luid)) WITHOUT ROWID;
      INSERT INTO ${p}prop_values_by_id (name_id, value, luid)
        SELECT n.id, v.value, v.luid FROM ${p}prop_values v JOIN ${p}prop_names n ON n.name = v.name ORDER BY 1, 2, 3;
      DROP TABLE ${p}prop_values;
      ALTER TABLE ${p}prop_values_by_id RENAME TO ${p}prop_values;
    `);
  },
  // The property index keeps 64 characters of a value, not 256
  // (INDEXED_CHARS, 64 then): free text was a third of it. Older releases would
  // miss a longer value that an equality names whole.
  (db, p) => {
    db.exec(cutLongValues(`${p}prop_values`));
  },
  // The property index keeps 37 characters of a value (INDEXED_CHARS),
  // and timestamps are no longer words of the full-text index
  // (full-text.ts): both are filled again when the store opens the file,
  // as in the move to schema 10. Older releases would miss a value that an
  // equality names whole, and find timestamps' words in some records only.
  // The entries are cut at once too: a read-only open, which does not
  // rebuild, then still finds values by the characters the index keeps.
  (db, p) => {
    db.exec(cutLongValues(`${p}prop_values`));
    markIndexesStale(db, p);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Indexes that only speed up queries. A bulk load into an empty replica
 * drops them and builds them once at the end; every open re-creates any
 * that are missing, so a load cut short leaves a slower replica, never a
 * wrong one.
 */
export function secondaryIndexes(p: string): Array<{ name: string; ddl: string }> {
  return [
    { name: `${p}records_type`, ddl: `CREATE INDEX IF NOT EXISTS ${p}records_type ON ${p}records(type, live)` },
  ];
}

function missingIndexes(db: Database.Database): boolean {
  const present = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[]);
  return TABLE_PREFIXES.some((p) => secondaryIndexes(p).some((index) => !present.has(index.name)));
}

function ensureIndexes(db: Database.Database): void {
  for (const p of TABLE_PREFIXES) for (const index of secondaryIndexes(p)) db.exec(index.ddl);
}

/** The file's schema version, refusing files from a newer release. */
export function schemaVersion(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new ProphetError(
      `this replica uses database schema ${current}, newer than this release understands (${SCHEMA_VERSION}); upgrade prophet to open it`,
      'schema',
    );
  }
  return current;
}

/**
 * Told before an existing file is brought from an older schema to this
 * release's: some migrations rebuild an index, which takes a while on a
 * large replica, so a program can say why it pauses.
 */
export type SchemaUpgradeListener = (from: number, to: number) => void;

/**
 * Brings the file up to the current schema with its indexes, refusing files
 * from a newer release. Checked with a read first, so opening a current
 * replica never waits for a writer; the work itself is a write transaction
 * that checks again, so two processes opening a new or old file at once
 * migrate it once.
 */
export function migrate(db: Database.Database, onUpgrade?: SchemaUpgradeListener): void {
  if (schemaVersion(db) === SCHEMA_VERSION && !missingIndexes(db)) return;
  writeTransaction(db, () => {
    const current = schemaVersion(db);
    if (current > 0 && current < SCHEMA_VERSION) onUpgrade?.(current, SCHEMA_VERSION);
    for (let v = current; v < SCHEMA_VERSION; v++) {
      for (const p of TABLE_PREFIXES) MIGRATIONS[v]!(db, p);
    }
    if (current !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    ensureIndexes(db);
  });
}
