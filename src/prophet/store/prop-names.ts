/**
 * The property index's names as numbers (schema 12): `prop_values` is keyed
 * (name_id, value, luid), the names kept once in `prop_names`. A name was
 * a seventh of every index entry (`description`, `original_replica`, once per
 * record), so the index is smaller and a bulk create dirties fewer pages.
 *
 * Ids are only ever added, so what a process learned stays true; a name
 * added by a transaction that rolled back is forgotten (`forget`). A name
 * the file does not hold has no entries: a read looks it up, never adds it.
 */
import type Database from 'better-sqlite3';
import { preparedOnUse } from './prepared-on-use.js';

export const NAMES_TABLE = (p: string) => `CREATE TABLE ${p}prop_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`;

/** An id no name has: what a read of a name the file does not hold looks for. */
const NO_SUCH_NAME = 0;

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
    return this.idToRead(name) || this.learn(name, Number(this.s.add.run(name).lastInsertRowid));
  }

  /** The name's id, or one no entry has. */
  idToRead(name: string): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const found = this.s.find.get(name) as number | undefined;
    return found === undefined ? NO_SUCH_NAME : this.learn(name, found);
  }

  /** What was learned since a transaction began may have been rolled back with it: learned again from the file. */
  forget(): void {
    this.ids.clear();
  }

  private learn(name: string, id: number): number {
    this.ids.set(name, id);
    return id;
  }
}
