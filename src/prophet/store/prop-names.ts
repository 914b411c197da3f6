/**
 * The property index's names as numbers (schema 12): `prop_values` is keyed
 * (name_id, value, luid), the names kept once in `prop_names`. A name was
 * a seventh of every index entry (`description`, `original_replica`, once per
 * record), so the index is smaller and a bulk create dirties fewer pages.
 *
 * Ids are only ever added, so what a process learned stays true; a name
 * added by a transaction that rolled back is forgotten (`forget`). Reads
 * look names up in SQL (`nameIdSql`) and never add one.
 */
import type Database from 'better-sqlite3';
import { preparedOnUse } from './prepared-on-use.js';

export const NAMES_TABLE = (p: string) => `CREATE TABLE ${p}prop_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`;

/**
 * SQL for the id of the name bound at `param`, for a read: NULL for a name
 * the file does not hold, which no entry matches. SQLite looks it up once
 * per statement and then searches the index by it.
 */
export const nameIdSql = (p: string, param = '?') => `(SELECT id FROM ${p}prop_names WHERE name = ${param})`;

export class PropNames {
  private readonly ids = new Map<string, number>();
  private readonly s;

  constructor(db: Database.Database, p: string) {
    this.s = preparedOnUse({
      find: () => db.prepare(`SELECT id FROM ${p}prop_names WHERE name = ?`).pluck(),
      add: () => db.prepare(`INSERT INTO ${p}prop_names (name) VALUES (?)`),
    });
  }

  /** The name's id, added in the caller's transaction if new. */
  idToWrite(name: string): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const id = (this.s.find.get(name) as number | undefined) ?? Number(this.s.add.run(name).lastInsertRowid);
    this.ids.set(name, id);
    return id;
  }

  /** What was learned since a transaction began may have been rolled back with it: learned again from the file. */
  forget(): void {
    this.ids.clear();
  }
}
