/**
 * The floor the benchmarks compare Prophet's writes with: the same
 * properties in plain better-sqlite3, one row per record plus one row per
 * property, nothing else (no history, no heads, no log).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { time } from './measure.js';

/** Creates `data` in a new database at `file`, `batch` records per transaction; returns the open database and the time the inserts took. */
export function rawSqliteCreate(file: string, data: Array<Record<string, string>>, batch: number): { db: Database.Database; ms: number } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE records (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, type TEXT); CREATE TABLE props (id INTEGER, name TEXT, value TEXT, PRIMARY KEY (id, name)) WITHOUT ROWID; CREATE INDEX props_value ON props(name, value);');
  const rec = db.prepare('INSERT INTO records (uuid, type) VALUES (?, ?)');
  const prop = db.prepare('INSERT INTO props (id, name, value) VALUES (?, ?, ?)');
  const { ms } = time(() => {
    for (let start = 0; start < data.length; start += batch) {
      db.transaction(() => {
        for (const props of data.slice(start, start + batch)) {
          const id = rec.run(randomUUID(), 'Bug').lastInsertRowid;
          for (const [k, v] of Object.entries(props)) prop.run(id, k, v);
        }
      })();
    }
  });
  return { db, ms };
}

/** The records whose property `name` equals `value`, each with all its properties. */
export function rawSqliteWhere(db: Database.Database, name: string, value: string): Array<Record<string, string>> {
  const rows = db
    .prepare('SELECT r.uuid, p.name, p.value FROM props s JOIN records r ON r.id = s.id JOIN props p ON p.id = s.id WHERE s.name = ? AND s.value = ? ORDER BY s.id')
    .all(name, value) as Array<{ uuid: string; name: string; value: string }>;
  const records = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const record = records.get(row.uuid) ?? {};
    record[row.name] = row.value;
    records.set(row.uuid, record);
  }
  return [...records.values()];
}
