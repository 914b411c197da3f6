import { describe, expect, it } from 'vitest';
import { ProphetError, ValidationError } from '../../src/prophet/model/errors.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import { INDEXED_CHARS } from '../../src/prophet/store/store.js';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { RecordState } from '../../src/prophet/model/types.js';
import { runQuery } from '../../src/prophet/replica/query.js';
import { countValues, referencing, search, searchPage, type Criterion } from '../../src/prophet/replica/search.js';
import { newReplica, tempDir, testEnv } from '../helpers/temp-replica.js';
import { withPropsTable } from '../helpers/old-schema.js';

describe('records', () => {
  it('creates, reads, updates and deletes records of any type with any properties', () => {
    const r = newReplica();
    const bug = r.create('Bug', { summary: 'crash', status: 'new' });
    const contact = r.create('Person', { name: 'Ada', phone: '555' });
    expect(r.get(bug.uuid).props).toMatchObject({ summary: 'crash', status: 'new' });
    expect(r.get(String(contact.luid), 'Person').props.name).toBe('Ada');
    expect(r.update('Bug', bug.uuid, { status: 'open', severity: 'high' })).toBe(true);
    expect(r.get(bug.uuid).props).toMatchObject({ status: 'open', severity: 'high' });
    r.delete('Bug', bug.uuid);
    expect(() => r.get(bug.uuid)).toThrow(/no record with id/);
    expect(r.get(contact.uuid).props.name).toBe('Ada');
  });

  it('defaults creator and original_replica on every new record', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { summary: 'x' });
    expect(r.get(uuid).props).toMatchObject({ creator: 'alice@example.com', original_replica: r.uuid });
  });

  it('treats an empty value as an absent property', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { summary: 'x', owner: '' });
    expect(r.get(uuid).props).not.toHaveProperty('owner');
    r.update('Bug', uuid, { owner: 'bob' });
    r.update('Bug', uuid, { owner: '' });
    expect(r.get(uuid).props).not.toHaveProperty('owner');
  });

  it('reports no change when an update sets the values already there', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { summary: 'x' });
    const before = r.latestSequenceNo();
    expect(r.update('Bug', uuid, { summary: 'x' })).toBe(false);
    expect(r.latestSequenceNo()).toBe(before);
  });

  it('groups several operations into one changeset', () => {
    const r = newReplica();
    const cs = r.edit((e) => {
      const t = e.create('Ticket', { summary: 'a' });
      e.create('Comment', { ticket: t, content: 'first' });
      e.update('Ticket', t, { status: 'open' });
    })!;
    // A user's first signed change also announces their signing key.
    expect(Object.values(cs.changes).map((c) => c.record_type).sort()).toEqual(['Comment', 'Ticket', '__prophet_key']);
    const ticket = Object.entries(cs.changes).find(([, c]) => c.record_type === 'Ticket')!;
    expect(ticket[1].change_type).toBe('add');
    expect(ticket[1].prop_changes.status?.new_value).toBe('open');
    expect(r.latestSequenceNo()).toBe(1);
  });

  it('rolls back the whole changeset when one operation fails', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { summary: 'keep' });
    expect(() =>
      r.edit((e) => {
        e.update('Bug', uuid, { summary: 'changed' });
        e.update('Bug', '00000000-0000-4000-8000-000000000000', { summary: 'nope' });
      }),
    ).toThrow(ProphetError);
    expect(r.get(uuid).props.summary).toBe('keep');
    expect(r.latestSequenceNo()).toBe(1);
  });

  it('refuses to treat a record as another type', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { summary: 'x' });
    expect(() => r.get(uuid, 'Person')).toThrow(/no Person with id .* \(it is a 'Bug'\)/);
    expect(() => r.update('Person', uuid, { name: 'y' })).toThrow(/it is a 'Bug'/);
  });

  it('survives closing and reopening, with records and the log intact', () => {
    const dir = tempDir();
    const env = testEnv();
    const r = Replica.init(`${dir}/r`, { env });
    const { uuid } = r.create('Bug', { summary: 'persist' });
    r.close();
    const again = Replica.open(`${dir}/r`, { env });
    expect(again.get(uuid).props.summary).toBe('persist');
    expect(again.uuid).toBe(r.uuid);
    expect(again.latestSequenceNo()).toBe(1);
  });

  it('asks for an identity before recording changes', () => {
    const dir = tempDir();
    const r = Replica.init(`${dir}/r`, { env: { HOME: dir } });
    expect(() => r.create('Bug', { summary: 'x' })).toThrow(/user.email-address/);
  });
});

describe('local ids', () => {
  it('assigns small distinct integers that stay stable across updates and reopen', () => {
    const r = newReplica();
    const a = r.create('Bug', { summary: 'a' });
    const b = r.create('Bug', { summary: 'b' });
    expect(a.luid).not.toBe(b.luid);
    r.update('Bug', a.uuid, { summary: 'a2' });
    expect(r.get(String(a.luid)).uuid).toBe(a.uuid);
    expect(r.resolve(a.uuid).luid).toBe(a.luid);
  });

  it('accepts an unambiguous uuid prefix and explains an ambiguous one', () => {
    const r = newReplica();
    const a = r.create('Bug', { summary: 'a' });
    // A prefix of digits alone is a local id: the shortest prefix of 8 or more characters with a letter in it.
    const prefix = a.uuid.slice(0, Math.max(8, a.uuid.search(/[a-f]/) + 1));
    expect(r.get(prefix).uuid).toBe(a.uuid);
    expect(r.get(a.uuid.toUpperCase()).uuid).toBe(a.uuid);
    const x = r.edit((e) => {
      e.create('Bug', { summary: 'p1' }, { uuid: 'abcd0000-0000-4000-8000-000000000001' });
      e.create('Bug', { summary: 'p2' }, { uuid: 'abcd0000-0000-4000-8000-000000000002' });
    });
    expect(x).toBeDefined();
    expect(() => r.get('abcd')).toThrow(/ambiguous/);
  });

  it('names the unknown id', () => {
    const r = newReplica();
    expect(() => r.get('42')).toThrow(/no record has the local id 42/);
    expect(() => r.get('not an id!')).toThrow(/is not a record id/);
  });
});

describe('search', () => {
  function fixture() {
    const r = newReplica();
    r.create('Bug', { summary: 'crash on start', status: 'new', owner: 'ann' });
    r.create('Bug', { summary: 'slow sync', status: 'open', owner: 'bob' });
    r.create('Bug', { summary: 'typo', status: 'closed' });
    r.create('Task', { summary: 'crash course', status: 'new' });
    return r;
  }
  const summaries = (rs: Array<{ props: Record<string, string> }>) => rs.map((x) => x.props.summary);

  it('ORs criteria on one property and ANDs across properties', () => {
    const r = fixture();
    const crit = (prop: string, value: string, cmp: '=' | '!=' | '=~' | '!~' = '=') => ({ prop, cmp, value });
    expect(summaries(search(r, 'Bug', { criteria: [crit('status', 'new'), crit('status', 'open')] }))).toEqual(['crash on start', 'slow sync']);
    expect(summaries(search(r, 'Bug', { criteria: [crit('status', 'new'), crit('status', 'open'), crit('owner', 'bob')] }))).toEqual(['slow sync']);
    expect(summaries(search(r, 'Bug', { criteria: [crit('status', 'closed', '!=')] }))).toEqual(['crash on start', 'slow sync']);
    expect(summaries(search(r, 'Bug', { criteria: [crit('summary', '^s', '=~')] }))).toEqual(['slow sync']);
    expect(summaries(search(r, 'Bug', { criteria: [crit('summary', 'a', '!~')] }))).toEqual(['slow sync', 'typo']);
  });

  it('compares a missing property as the empty string', () => {
    const r = fixture();
    expect(summaries(search(r, 'Bug', { criteria: [{ prop: 'owner', cmp: '=', value: '' }] }))).toEqual(['typo']);
    expect(summaries(search(r, 'Bug', { criteria: [{ prop: 'owner', cmp: '!=', value: '' }] }))).toEqual(['crash on start', 'slow sync']);
  });

  it('matches a regex against any property value, within the type only', () => {
    const r = fixture();
    expect(summaries(search(r, 'Bug', { regex: 'crash' }))).toEqual(['crash on start']);
    expect(search(r, 'Bug', { regex: '.' })).toHaveLength(3);
    expect(() => search(r, 'Bug', { regex: '(' })).toThrow(/not a valid regular expression/);
  });

  it('leaves deleted records out', () => {
    const r = fixture();
    r.delete('Bug', '1');
    expect(summaries(search(r, 'Bug'))).toEqual(['slow sync', 'typo']);
  });

  it('finds the records that refer to another by uuid', () => {
    const r = newReplica();
    const t1 = r.create('Ticket', { summary: 'a' });
    const t2 = r.create('Ticket', { summary: 'b' });
    r.create('Comment', { ticket: t1.uuid, content: 'one' });
    r.create('Comment', { ticket: t1.uuid, content: 'two' });
    r.create('Comment', { ticket: t2.uuid, content: 'three' });
    expect(referencing(r, 'Comment', 'ticket', t1.uuid).map((c) => c.props.content)).toEqual(['one', 'two']);
  });
});

describe('record type hooks', () => {
  function hooked() {
    const r = newReplica();
    r.registerType({
      type: 'Person',
      declaredProps: ['name'],
      defaults: { status: () => 'active' },
      canonicalize: { email: (v) => v?.toLowerCase() },
      recommendedValues: { status: () => ['active', 'away'] },
      validate: {
        name: (v) => (v ? undefined : 'a person needs a name'),
        age: (v) => (v === undefined || /^\d+$/.test(v) ? undefined : 'must be a whole number'),
      },
    });
    return r;
  }

  it('fills defaults only when no value is given', () => {
    const r = hooked();
    expect(r.get(r.create('Person', { name: 'a' }).uuid).props.status).toBe('active');
    expect(r.get(r.create('Person', { name: 'b', status: 'away' }).uuid).props.status).toBe('away');
  });

  it('canonicalizes values on create and update', () => {
    const r = hooked();
    const { uuid } = r.create('Person', { name: 'a', email: 'Ada@Example.COM' });
    expect(r.get(uuid).props.email).toBe('ada@example.com');
    r.update('Person', uuid, { email: 'X@Y.Z' });
    expect(r.get(uuid).props.email).toBe('x@y.z');
  });

  it('collects every validation error and reports them together', () => {
    const r = hooked();
    try {
      r.create('Person', { age: 'old', status: 'gone' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const v = err as ValidationError;
      expect(Object.keys(v.errors).sort()).toEqual(['age', 'name', 'status']);
      expect(v.message).toMatch(/Validation error for 'age': must be a whole number\./);
    }
    expect(r.latestSequenceNo()).toBe(0);
  });

  it('lets a value ending in ! bypass the list check, storing it without the !', () => {
    const r = hooked();
    const { uuid } = r.create('Person', { name: 'a', status: 'gone!' });
    expect(r.get(uuid).props.status).toBe('gone');
  });
});

describe('long values in the property index', () => {
  it('holds their first characters (INDEXED_CHARS), and still finds, pages and counts them exactly', () => {
    const r = newReplica();
    const head = 'é'.repeat(INDEXED_CHARS - 1) + '😀';
    const long = (tail: string) => `${head}${tail}`;
    r.create('Bug', { summary: 'one', blob: long('a') });
    r.create('Bug', { summary: 'two', blob: long('b') });
    r.create('Bug', { summary: 'three', blob: 'short' });
    const db = new Database(join(r.root, 'db.sqlite'), { readonly: true });
    const stored = db.prepare("SELECT value FROM main_prop_values WHERE name_id = (SELECT id FROM main_prop_names WHERE name = 'blob') ORDER BY luid").pluck().all() as string[];
    db.close();
    expect(stored).toEqual([head, head, 'short']);
    const crit = (value: string): Criterion => ({ prop: 'blob', cmp: '=', value });
    const summaries = (rs: RecordState[]) => rs.map((x) => x.props.summary);
    expect(summaries(search(r, 'Bug', { criteria: [crit(long('b'))] }))).toEqual(['two']);
    expect(summaries(searchPage(r, 'Bug', { criteria: [crit(long('a'))] }, { order: [{ name: 'summary' }], offset: 0, limit: 10 }).records)).toEqual(['one']);
    expect(countValues(r, 'Bug', ['summary'], { criteria: [crit(long('a'))] }).get('summary')).toEqual(new Map([['one', 1]]));
    expect(runQuery(r, 'Bug', `blob:"${long('a')}"`).records.map((x) => x.props.summary)).toEqual(['one']);
    r.update('Bug', '3', { blob: long('c') });
    expect(summaries(search(r, 'Bug', { criteria: [crit(long('c'))] }))).toEqual(['three']);
  });

  it('counts values the index holds cut short by their whole value, and a value as long as the index keeps only where it is whole', () => {
    const r = newReplica();
    const milestone = (tail: string) => `Release 2.0: performance and stability ${tail}`;
    r.create('Bug', { milestone: milestone('work'), status: 'open' });
    r.create('Bug', { milestone: milestone('work'), status: 'open' });
    r.create('Bug', { milestone: milestone('docs'), status: 'open' });
    const full = 'm'.repeat(INDEXED_CHARS);
    r.create('Bug', { milestone: full, status: 'new' });
    r.create('Bug', { milestone: `${full}x`, status: 'new' });
    expect(countValues(r, 'Bug', ['milestone'], { criteria: [{ prop: 'status', cmp: '=', value: 'open' }] }).get('milestone')).toEqual(
      new Map([
        [milestone('docs'), 1],
        [milestone('work'), 2],
      ]),
    );
    expect(countValues(r, 'Bug', ['status'], { criteria: [{ prop: 'milestone', cmp: '=', value: full }] }).get('status')).toEqual(new Map([['new', 1]]));
  });

  it('cuts a replica of schema 13 (64 characters) to what the index keeps now, and still finds the value whole', () => {
    const r = newReplica();
    const value = `${'v'.repeat(INDEXED_CHARS)}-and-more-than-the-index-keeps`;
    r.create('Bug', { summary: 'one', milestone: value });
    r.close();
    const file = join(r.root, 'db.sqlite');
    const old = new Database(file);
    const entry = "SELECT value FROM main_prop_values WHERE name_id = (SELECT id FROM main_prop_names WHERE name = 'milestone')";
    old.prepare(`UPDATE main_prop_values SET value = ? WHERE value = ?`).run(value.slice(0, 64), value.slice(0, INDEXED_CHARS));
    expect(old.prepare(entry).pluck().get()).toBe(value.slice(0, 64));
    old.pragma('user_version = 13');
    old.close();
    const reopened = Replica.open(r.root, { env: testEnv() });
    expect(search(reopened, 'Bug', { criteria: [{ prop: 'milestone', cmp: '=', value }] }).map((x) => x.props.summary)).toEqual(['one']);
    reopened.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare(entry).pluck().get()).toBe(value.slice(0, INDEXED_CHARS));
    db.close();
  });

  it('holds every UUID whole in the index, so a lookup by one needs no record read', () => {
    expect(INDEXED_CHARS).toBeGreaterThan('0f8fad5b-d9cb-469f-a165-70867728950e'.length);
  });

  it('shortens the long values of a replica made before, when it is opened', () => {
    const r = newReplica();
    r.create('Bug', { blob: 'x'.repeat(300) });
    r.close();
    const file = join(r.root, 'db.sqlite');
    const old = new Database(file);
    withPropsTable(old);
    old.prepare("UPDATE main_props SET value = ? WHERE name = 'blob'").run('x'.repeat(300));
    old.pragma('user_version = 4');
    old.close();
    const reopened = Replica.open(r.root, { env: testEnv() });
    reopened.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT length(value) FROM main_prop_values WHERE name_id = (SELECT id FROM main_prop_names WHERE name = 'blob')").pluck().get()).toBe(INDEXED_CHARS);
    db.close();
  });

  it('cuts the longer values of a replica of schema 12 (256 characters) to those the index keeps now, and still finds them whole', () => {
    const r = newReplica();
    const title = (tail: string) => `${'word '.repeat(40)}${tail}`;
    r.create('Bug', { summary: title('first') });
    r.create('Bug', { summary: title('second') });
    r.close();
    const file = join(r.root, 'db.sqlite');
    const summaries = "SELECT value FROM main_prop_values WHERE name_id = (SELECT id FROM main_prop_names WHERE name = 'summary') ORDER BY luid";
    const old = new Database(file);
    const cut = old.prepare(`UPDATE main_prop_values SET value = ? WHERE luid = ? AND value = ?`);
    for (const [luid, tail] of [[1, 'first'], [2, 'second']] as const) cut.run(title(tail).slice(0, 256), luid, title(tail).slice(0, INDEXED_CHARS));
    expect(old.prepare(summaries).pluck().all()).toEqual([title('first').slice(0, 256), title('second').slice(0, 256)]);
    old.pragma('user_version = 12');
    old.close();
    const reopened = Replica.open(r.root, { env: testEnv() });
    const titled = (value: string) => search(reopened, 'Bug', { criteria: [{ prop: 'summary', cmp: '=', value }] }).map((x) => x.luid);
    expect([titled(title('first')), titled(title('second'))]).toEqual([[1], [2]]);
    reopened.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare(summaries).pluck().all()).toEqual([title('first').slice(0, INDEXED_CHARS), title('second').slice(0, INDEXED_CHARS)]);
    db.close();
  });
});
