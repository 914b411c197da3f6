import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { countValues, search } from '../../src/prophet/replica/search.js';
import { withNamesInIndex } from '../helpers/old-schema.js';
import { newReplica, testEnv } from '../helpers/temp-replica.js';

const withFile = <T>(root: string, fn: (db: Database.Database) => T): T => {
  const db = new Database(join(root, 'db.sqlite'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
};
const statusOf = (r: Replica, value: string) => search(r, 'Bug', { criteria: [{ prop: 'status', cmp: '=', value }] }).map((x) => x.props.summary);

/** The property index keyed by a name's id, the names kept once (prop-names.ts). */
describe('the property index by name id', () => {
  it('keeps each name once and finds, counts and updates values through it', () => {
    const r = newReplica();
    r.create('Bug', { summary: 'one', status: 'open' });
    const two = r.create('Bug', { summary: 'two', status: 'open' });
    r.update('Bug', two.uuid, { status: 'closed' });
    expect(statusOf(r, 'open')).toEqual(['one']);
    expect(countValues(r, 'Bug', ['status']).get('status')).toEqual(new Map([['open', 1], ['closed', 1]]));
    expect(statusOf(r, 'never')).toEqual([]);
    expect(search(r, 'Bug', { criteria: [{ prop: 'no_such_name', cmp: '=', value: 'x' }] })).toEqual([]);
    const root = r.root;
    r.close();
    withFile(root, (db) => {
      expect(db.prepare("SELECT COUNT(*) FROM main_prop_names WHERE name = 'status'").pluck().get()).toBe(1);
      expect(db.prepare("SELECT COUNT(*) FROM main_prop_names WHERE name = 'no_such_name'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT DISTINCT typeof(name_id) FROM main_prop_values').pluck().all()).toEqual(['integer']);
    });
  });

  it('moves the index of a replica from before to name ids when it is opened', () => {
    const r = newReplica();
    r.create('Bug', { summary: 'one', status: 'open' });
    r.create('Bug', { summary: 'two', status: 'closed' });
    const root = r.root;
    r.close();
    withFile(root, (db) => {
      withNamesInIndex(db);
      db.pragma('user_version = 11');
    });
    const again = Replica.open(root, { env: testEnv() });
    expect(statusOf(again, 'closed')).toEqual(['two']);
    again.update('Bug', '1', { status: 'closed' });
    expect(statusOf(again, 'closed')).toEqual(['one', 'two']);
    again.close();
    withFile(root, (db) => expect(db.prepare("SELECT COUNT(*) FROM main_prop_names WHERE name = 'status'").pluck().get()).toBe(1));
  });

});
