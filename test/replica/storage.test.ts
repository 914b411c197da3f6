import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProphetError } from '../../src/prophet/model/errors.js';
import { Replica, storeOf } from '../../src/prophet/replica/replica.js';
import { search } from '../../src/prophet/replica/search.js';
import { SCHEMA_VERSION } from '../../src/prophet/store/schema.js';
import type { SqliteStore } from '../../src/prophet/store/sqlite-store.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { withPropsTable } from '../helpers/old-schema.js';

/** A file's pages rewritten at this size, as an older release would have made them. */
function withPageSize(dir: string, size: number): void {
  const db = new Database(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = DELETE');
  db.pragma(`page_size = ${size}`);
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
  db.close();
}

function pageSize(dir: string): number {
  const db = new Database(join(dir, 'db.sqlite'), { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('opening replicas', () => {
  it('says how to create a replica where there is none', () => {
    const dir = tempDir();
    expect(() => Replica.open(join(dir, 'missing'))).toThrow(/does not exist; create one with 'init'/);
    mkdirSync(join(dir, 'empty'));
    expect(() => Replica.open(join(dir, 'empty'))).toThrow(/is not a prophet replica \(it has no db.sqlite\)/);
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => Replica.open(join(dir, 'file'))).toThrow(/it is a file, not a directory/);
  });

  it('refuses a db.sqlite that is not a database', () => {
    const dir = join(tempDir(), 'r');
    mkdirSync(dir);
    writeFileSync(join(dir, 'db.sqlite'), 'this is not sqlite at all, just text that is long enough to have a header');
    expect(() => Replica.open(dir)).toThrow(/is not a prophet database/);
  });

  it('refuses to init over an existing replica', () => {
    const dir = join(tempDir(), 'r');
    Replica.init(dir, { env: testEnv() }).close();
    expect(() => Replica.init(dir, { env: testEnv() })).toThrow(/a replica already exists at/);
  });

  it('makes new files with 8 KiB pages, and keeps reading and writing a file an older release made with 4 KiB', () => {
    const dir = join(tempDir(), 'r');
    const made = Replica.init(dir, { env: testEnv() });
    made.create('Bug', { summary: 'one' });
    made.close();
    expect(pageSize(dir)).toBe(8192);
    withPageSize(dir, 4096);
    expect(pageSize(dir)).toBe(4096);
    const reopened = Replica.open(dir, { env: testEnv() });
    reopened.create('Bug', { summary: 'two' });
    expect(search(reopened, 'Bug', {}).map((r) => r.props.summary).sort()).toEqual(['one', 'two']);
    reopened.close();
    expect(pageSize(dir)).toBe(4096);
  });

  it('refuses a database from a newer schema, leaving it untouched', () => {
    const dir = join(tempDir(), 'r');
    Replica.init(dir, { env: testEnv() }).close();
    const raw = new Database(join(dir, 'db.sqlite'));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => Replica.open(dir)).toThrow(/newer than this release understands .* upgrade prophet/);
    const check = new Database(join(dir, 'db.sqlite'));
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('reads a replica made before heads were one number, and writes its created records\' heads as one', () => {
    const dir = join(tempDir(), 'r');
    const r = Replica.init(dir, { env: testEnv() });
    const made = r.create('Bug', { summary: 'made', status: 'new' });
    const changed = r.create('Bug', { summary: 'changed', status: 'new' });
    r.update('Bug', changed.uuid, { status: 'open' });
    const headsOf = (replica: Replica, uuid: string) => ['', 'summary', 'status'].map((name) => replica.heads(uuid, name));
    const before = [headsOf(r, made.uuid), headsOf(r, changed.uuid)];
    r.close();
    const raw = new Database(join(dir, 'db.sqlite'));
    withPropsTable(raw);
    const column = raw.prepare('SELECT heads FROM main_records WHERE uuid = ?').pluck();
    const one = column.get(made.uuid) as string;
    expect(one).toMatch(/^\d+$/);
    const props = JSON.parse(raw.prepare('SELECT props FROM main_records WHERE uuid = ?').pluck().get(made.uuid) as string) as object;
    const perProperty = Object.fromEntries(['', ...Object.keys(props)].map((name) => [name, Number(one)]));
    raw.prepare('UPDATE main_records SET heads = ? WHERE uuid = ?').run(JSON.stringify(perProperty), made.uuid);
    raw.pragma('user_version = 6');
    raw.close();
    const reopened = Replica.open(dir, { env: testEnv() });
    expect([headsOf(reopened, made.uuid), headsOf(reopened, changed.uuid)]).toEqual(before);
    reopened.close();
    const check = new Database(join(dir, 'db.sqlite'), { readonly: true });
    expect(check.prepare('SELECT heads FROM main_records WHERE uuid = ?').pluck().get(made.uuid)).toBe(one);
    expect(JSON.parse(check.prepare('SELECT heads FROM main_records WHERE uuid = ?').pluck().get(changed.uuid) as string)).toMatchObject({ status: expect.any(Number) });
    check.close();
  });

  it('reads a replica whose changeset bodies are all text, and keeps the long ones it writes from then on deflated', () => {
    const dir = join(tempDir(), 'r');
    const r = Replica.init(dir, { env: testEnv() });
    const many = () => r.edit((e) => Array.from({ length: 20 }, (_, i) => e.create('Bug', { summary: `bug ${i}`, status: 'new' })));
    many();
    r.create('Bug', { summary: 'short' });
    const before = [...r.rawChangesets(1)];
    r.close();
    const raw = new Database(join(dir, 'db.sqlite'));
    const kinds = () => raw.prepare('SELECT typeof(body) FROM main_changesets ORDER BY seq').pluck().all();
    expect(kinds()).toContain('blob');
    expect(kinds()).toContain('text');
    const setBody = raw.prepare('UPDATE main_changesets SET body = ? WHERE seq = ?');
    for (const row of before) setBody.run(row.body, row.seq);
    expect(new Set(kinds())).toEqual(new Set(['text']));
    withPropsTable(raw);
    raw.pragma('user_version = 7');
    raw.close();
    const reopened = Replica.open(dir, { env: testEnv() });
    expect([...reopened.rawChangesets(1)]).toEqual(before);
    const after = reopened.latestSequenceNo() + 1;
    reopened.edit((e) => Array.from({ length: 20 }, (_, i) => e.create('Bug', { summary: `bug ${i}`, status: 'new' })));
    const written = reopened.rawChangeset(after)!;
    reopened.close();
    const check = new Database(join(dir, 'db.sqlite'), { readonly: true });
    const stored = check.prepare('SELECT body FROM main_changesets WHERE seq = ?').pluck().get(after) as Buffer;
    check.close();
    expect(Buffer.isBuffer(stored) && stored.length < written.body.length / 2).toBe(true);
    expect(JSON.parse(written.body)).toMatchObject({ changes: expect.any(Object) });
  });

  it('moves the property index of a replica made before into one table keyed by value, which searches and updates keep right', () => {
    const dir = join(tempDir(), 'r');
    const r = Replica.init(dir, { env: testEnv() });
    const bugs = ['open', 'closed', 'open'].map((status, i) => r.create('Bug', { summary: `bug ${i}`, status }));
    r.close();
    const raw = new Database(join(dir, 'db.sqlite'));
    withPropsTable(raw);
    raw.exec('CREATE INDEX main_props_value ON main_props(name, value)');
    raw.pragma('user_version = 8');
    raw.close();
    const reopened = Replica.open(dir, { env: testEnv() });
    const open = () => search(reopened, 'Bug', { criteria: [{ prop: 'status', cmp: '=', value: 'open' }] }).map((b) => b.props.summary);
    expect(open()).toEqual(['bug 0', 'bug 2']);
    reopened.update('Bug', bugs[0]!.uuid, { status: 'closed' });
    reopened.update('Bug', bugs[1]!.uuid, { status: 'open' });
    expect(open()).toEqual(['bug 1', 'bug 2']);
    reopened.close();
    const check = new Database(join(dir, 'db.sqlite'), { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_schema WHERE name IN ('main_props', 'main_prop_values')").pluck().all();
    const statuses = check.prepare("SELECT value FROM main_prop_values WHERE name_id = (SELECT id FROM main_prop_names WHERE name = 'status') ORDER BY luid").pluck().all();
    check.close();
    expect(tables).toEqual(['main_prop_values']);
    expect(statuses).toEqual(['closed', 'open', 'open']);
  });

  it('keeps the resolution database apart, with its own identity', () => {
    const r = Replica.init(join(tempDir(), 'r'), { env: testEnv() });
    expect(r.resdb.uuid).not.toBe(r.uuid);
    expect(r.resdb.databaseUuid).not.toBe(r.databaseUuid);
    r.resdb.create('_prophet_resolution-x', { _meta: 'update' });
    expect(r.types()).toEqual([]);
    expect(r.resdb.types()).toEqual(['_prophet_resolution-x']);
  });
});

describe('a bulk load cut short', () => {
  it('leaves searches right: the next open rebuilds the search index', () => {
    const dir = join(tempDir(), 'r');
    const env = testEnv();
    const r = Replica.init(dir, { env });
    r.create('Bug', { status: 'open', summary: 'before' });
    r.beginBulkLoad();
    r.create('Bug', { status: 'open', summary: 'during' });
    r.create('Bug', { status: 'closed', summary: 'other' });
    // The process dies here: no restoreIndexes.
    r.close();
    const again = Replica.open(dir, { env });
    const open = search(again, 'Bug', { criteria: [{ prop: 'status', cmp: '=', value: 'open' }] });
    expect(open.map((x) => x.props.summary)).toEqual(['before', 'during']);
    expect(storeOf(again).getMeta('search-index-stale')).toBeUndefined();
  });
});

describe('a full disk', () => {
  it('fails the edit with one clear line and leaves the replica as it was', () => {
    const r = Replica.init(join(tempDir(), 'r'), { env: testEnv() });
    const { uuid } = r.create('Bug', { summary: 'before' });
    const { db } = storeOf(r) as SqliteStore;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = 'x'.repeat(200_000);
    let error: unknown;
    try {
      r.edit((e) => {
        for (let i = 0; i < 20; i++) e.create('Bug', { summary: big });
        e.update('Bug', uuid, { summary: 'after' });
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ProphetError);
    expect((error as Error).message).toMatch(/^the disk holding \S+ is full: free space and retry; nothing was written$/);
    expect(r.get(uuid).props.summary).toBe('before');
    expect(r.latestSequenceNo()).toBe(1);
    expect(r.countLive('Bug')).toBe(1);
  });
});
