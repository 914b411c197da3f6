/**
 * A record's properties at rest (schema 11 on): a JSON array whose first
 * element is the record's shape, the id of its property names in order,
 * and the rest its values in that order. Records of one type mostly share
 * a few shapes, so the names are kept once, in `prop_shapes` (shape, name,
 * pos), instead of in every row: a fifth of the records table on a
 * ticket's dozen properties (docs/architecture.md).
 *
 * SQL reads a value as `r.props ->> s.pos` after joining `prop_shapes s`
 * on `s.shape = r.props ->> 0` (`valueSql`, `entriesSql`). Shapes are only
 * ever added, so what a process learned of them stays true; after any
 * rollback on the connection (either replica's) it learns them again (`forget`).
 */
import type Database from 'better-sqlite3';
import { ProphetError } from '../model/errors.js';
import type { Properties } from '../model/types.js';
import { preparedOnUse } from './prepared-on-use.js';

/** The prop_shapes table's rows, for a migration that builds it. */
export const SHAPES_TABLE = (p: string) =>
  `CREATE TABLE ${p}prop_shapes (shape INTEGER NOT NULL, name TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (shape, name)) WITHOUT ROWID;
   CREATE INDEX ${p}prop_shapes_by_name ON ${p}prop_shapes (name, pos)`;

/** SQL for the value of the property named by `name` (an SQL expression) of the record row `r`, or NULL. */
export function valueSql(p: string, r: string, name: string): string {
  return `(SELECT ${r}.props ->> s.pos FROM ${p}prop_shapes s WHERE s.shape = ${r}.props ->> 0 AND s.name = ${name})`;
}

/** SQL joining the record row `r` to its properties: one row each, with its name and value expressions. */
export function entriesSql(p: string, r: string, alias: string): { join: string; name: string; value: string } {
  return { join: `CROSS JOIN ${p}prop_shapes ${alias} ON ${alias}.shape = ${r}.props ->> 0`, name: `${alias}.name`, value: `${r}.props ->> ${alias}.pos` };
}

/** A record without properties: a shape with no rows in prop_shapes. */
const EMPTY_SHAPE = 0;

export class RecordShapes {
  private readonly idOf = new Map<string, number>();
  private readonly namesOf = new Map<number, string[]>();
  private readonly s;

  constructor(db: Database.Database, p: string) {
    this.s = preparedOnUse({
      names: () => db.prepare(`SELECT name FROM ${p}prop_shapes WHERE shape = ? ORDER BY pos`).pluck(),
      find: () => db.prepare(`SELECT shape FROM ${p}prop_shapes WHERE name = ? AND pos = 1`).pluck(),
      next: () => db.prepare(`SELECT COALESCE(MAX(shape), 0) + 1 FROM ${p}prop_shapes`).pluck(),
      add: () => db.prepare(`INSERT INTO ${p}prop_shapes (shape, name, pos) VALUES (?, ?, ?)`),
      all: () => db.prepare(`SELECT shape, name FROM ${p}prop_shapes ORDER BY shape, pos`).raw(),
    });
  }

  /** The row's text for these properties; a new shape is added in the caller's transaction. */
  encode(props: Properties): string {
    const names = Object.keys(props);
    return JSON.stringify([this.shapeOf(names), ...names.map((name) => props[name])]);
  }

  decode(text: string): Properties {
    const row = JSON.parse(text) as unknown[];
    const names = this.names(row[0] as number);
    const props: Properties = {};
    for (let i = 0; i < names.length; i++) props[names[i]!] = row[i + 1] as string;
    return props;
  }

  /** Every shape, so `decode` needs no query (a function SQLite calls cannot make one). */
  loadAll(): void {
    const byShape = new Map<number, string[]>();
    for (const [shape, name] of this.s.all.all() as Array<[number, string]>) byShape.set(shape, [...(byShape.get(shape) ?? []), name]);
    for (const [shape, names] of byShape) this.learn(shape, names);
  }

  /** What was learned since a transaction began may have been rolled back with it: learned again from the file. */
  forget(): void {
    this.idOf.clear();
    this.namesOf.clear();
  }

  private names(shape: number): string[] {
    let names = this.namesOf.get(shape);
    if (!names) {
      names = this.s.names.all(shape) as string[];
      if (!names.length && shape !== EMPTY_SHAPE) throw new ProphetError(`a record names property shape ${shape}, which the replica does not hold: its database file is damaged; clone the replica again from a peer`, 'io');
      this.learn(shape, names);
    }
    return names;
  }

  private shapeOf(names: string[]): number {
    const key = JSON.stringify(names);
    const known = this.idOf.get(key);
    if (known !== undefined) return known;
    // Candidates share the first name; the shape is theirs whose names are these, in this order.
    const candidates = names.length ? (this.s.find.all(names[0]) as number[]) : [EMPTY_SHAPE];
    const found = candidates.find((shape) => JSON.stringify(this.names(shape)) === key);
    if (found !== undefined) return found;
    const shape = this.s.next.get() as number;
    names.forEach((name, i) => this.s.add.run(shape, name, i + 1));
    this.learn(shape, names);
    return shape;
  }

  private learn(shape: number, names: string[]): void {
    this.namesOf.set(shape, names);
    this.idOf.set(JSON.stringify(names), shape);
  }
}
