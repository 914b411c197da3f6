import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica, storeOf } from '../../src/prophet/replica/replica.js';
import { search } from '../../src/prophet/replica/search.js';
import type { SqliteStore } from '../../src/prophet/store/sqlite-store.js';
import { withObjectProps } from '../helpers/old-schema.js';
import { newReplica, testEnv } from '../helpers/temp-replica.js';

const rowOf = (root: string, uuid: string) => {
  const db = new Database(join(root, 'db.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT props FROM main_records WHERE uuid = ?').pluck().get(uuid) as string;
  } finally {
    db.close();
  }
};

/** The properties a test gave, in the record's order: a replica adds its own (creator, created...). */
const given = (props: Record<string, string>, names: string[]) => Object.entries(props).filter(([name]) => names.includes(name));

/** A record's properties at rest: its shape (the names, kept once) and its values (record-shapes.ts). */
describe("records' property names kept once", () => {
  it('reads back every record whole, names in their order, however many shapes the records have', () => {
    const r = newReplica();
    const a = r.create('Bug', { summary: 'één "quoted" ✓', status: 'open', empty: 'y' });
    const b = r.create('Bug', { status: 'new', summary: 'other order' });
    const c = r.create('Bug', { summary: 'same names as a', status: 'closed', empty: 'x' });
    r.update('Bug', b.uuid, { owner: 'dev@example.com' });
    const root = r.root;
    r.close();
    const again = Replica.open(root, { env: testEnv() });
    const names = ['summary', 'status', 'empty', 'owner'];
    expect(given(again.get(a.uuid, 'Bug').props, names)).toEqual([['summary', 'één "quoted" ✓'], ['status', 'open'], ['empty', 'y']]);
    expect(given(again.get(b.uuid, 'Bug').props, names)).toEqual([['status', 'new'], ['summary', 'other order'], ['owner', 'dev@example.com']]);
    expect(given(again.get(c.uuid, 'Bug').props, names)).toEqual([['summary', 'same names as a'], ['status', 'closed'], ['empty', 'x']]);
    again.close();
    // The names are not in the rows; records with the same names share one shape.
    for (const uuid of [a.uuid, b.uuid, c.uuid]) expect(rowOf(root, uuid)).not.toContain('summary');
    expect(JSON.parse(rowOf(root, a.uuid))[0]).toBe(JSON.parse(rowOf(root, c.uuid))[0]);
  });

  it('keeps no shape a rolled-back edit made, and reads what later edits write with those names', () => {
    const r = newReplica();
    const { db } = storeOf(r) as SqliteStore;
    // The disk fills after the new shape is written, before the index names: the edit rolls back, shape and all.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    expect(() => r.edit((e) => e.create('Bug', { only_here: 'x'.repeat(200_000) }))).toThrow(/is full/);
    db.pragma('max_page_count = 1073741823');
    const kept = r.create('Bug', { only_here: 'kept' });
    const root = r.root;
    r.close();
    const again = Replica.open(root, { env: testEnv() });
    expect(again.get(kept.uuid, 'Bug').props).toMatchObject({ only_here: 'kept' });
    expect(search(again, 'Bug', { criteria: [{ prop: 'only_here', cmp: '=', value: 'kept' }] })).toHaveLength(1);
    again.close();
  });

  it("forgets the resolution database's new shapes and names when the main transaction around them rolls back", () => {
    const r = newReplica();
    expect(() =>
      r.transaction(() => {
        r.resdb.create('Vote', { only_in_res: 'a', other: 'b' });
        throw new Error('given up');
      }),
    ).toThrow('given up');
    const kept = r.resdb.create('Vote', { only_in_res: 'kept', other: 'b' });
    r.resdb.create('Vote', { different: 'x' });
    const root = r.root;
    r.close();
    const again = Replica.open(root, { env: testEnv() });
    expect(again.resdb.get(kept.uuid, 'Vote').props).toMatchObject({ only_in_res: 'kept', other: 'b' });
    expect(search(again.resdb, 'Vote', { criteria: [{ prop: 'only_in_res', cmp: '=', value: 'kept' }] })).toHaveLength(1);
    again.close();
  });

  it('turns the rows of a replica from before into shapes when it is opened, reading and searching the same', () => {
    const r = newReplica();
    const made = r.create('Bug', { summary: 'old row', status: 'open' });
    const root = r.root;
    r.close();
    const db = new Database(join(root, 'db.sqlite'));
    withObjectProps(db);
    db.pragma('user_version = 10');
    db.close();
    expect(JSON.parse(rowOf(root, made.uuid))).toMatchObject({ summary: 'old row', status: 'open' });
    const again = Replica.open(root, { env: testEnv() });
    expect(again.get(made.uuid, 'Bug').props).toMatchObject({ summary: 'old row', status: 'open' });
    expect(search(again, 'Bug', { criteria: [{ prop: 'status', cmp: '=', value: 'open' }] }).map((x) => x.uuid)).toEqual([made.uuid]);
    again.close();
    expect(rowOf(root, made.uuid)).not.toContain('summary');
  });

  it('says the file is damaged, in one line, when a row names a shape the file lacks', () => {
    const r = newReplica();
    const made = r.create('Bug', { summary: 'orphan' });
    const root = r.root;
    r.close();
    const db = new Database(join(root, 'db.sqlite'));
    db.prepare("UPDATE main_records SET props = json_set(props, '$[0]', 999) WHERE uuid = ?").run(made.uuid);
    db.close();
    const again = Replica.open(root, { env: testEnv() });
    expect(() => again.get(made.uuid, 'Bug')).toThrow(/names property shape 999, which the replica does not hold: its database file is damaged; clone the replica again from a peer$/);
    again.close();
  });
});
