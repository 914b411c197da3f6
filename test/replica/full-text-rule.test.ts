import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/prophet/replica/query.js';
import { Replica, type AppDefinition } from '../../src/prophet/replica/replica.js';
import { openSdReplica, sdAppDefinition } from '../../src/sd/model/app.js';
import { SCHEMA_VERSION } from '../../src/prophet/store/schema.js';
import { closedTicketWithComment, withObjectProps } from '../helpers/old-schema.js';
import { testEnv } from '../helpers/temp-replica.js';
import { cloneOf, peer } from '../sync/helpers.js';

/**
 * What the full-text index holds (full-text.ts), the same whether a row
 * was written by an edit or by the rebuild at the end of a clone.
 */

const opened: Replica[] = [];
afterEach(() => {
  for (const r of opened.splice(0)) r.close();
});
const keep = (r: Replica) => (opened.push(r), r);
const found = (r: Replica, type: string, q: string) =>
  runQuery(r, type, q)
    .records.map((x) => x.uuid)
    .sort();

describe('the full-text index', () => {
  it('does not hold identifiers as words: a UUID value is found by prop:value, in the replica and in its clone', async () => {
    const alice = keep(peer('alice', sdAppDefinition));
    const t = alice.create('ticket', { summary: 'crash', parent: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    const c = alice.create('comment', { ticket: t.uuid, content: 'seen in Zurich' });
    const bob = keep(await cloneOf(alice, 'bob', sdAppDefinition));
    const firstGroup = t.uuid.split('-')[0]!;
    for (const r of [alice, bob]) {
      // The comment's `ticket` names its ticket: neither it nor the ticket is found by that UUID's words.
      expect(found(r, 'comment', firstGroup)).toEqual([]);
      expect(found(r, 'ticket', '0f8fad5b')).toEqual([]);
      expect(found(r, 'comment', `ticket:${t.uuid}`)).toEqual([c.uuid]);
      expect(found(r, 'ticket', 'parent:0f8fad5b-d9cb-469f-a165-70867728950e')).toEqual([t.uuid]);
      // Words around them still count, and a value holding a UUID among other words is text.
      expect(found(r, 'ticket', 'zurich')).toEqual([t.uuid]);
    }
    alice.update('ticket', t.uuid, { parent: `see 0f8fad5b-d9cb-469f-a165-70867728950e` });
    expect(found(alice, 'ticket', '0f8fad5b')).toEqual([t.uuid]);
  });

  it('does not hold timestamps as words: a ticket is found by created:, not by its timestamp\'s words, in the replica and in its clone', async () => {
    const alice = keep(peer('alice', sdAppDefinition));
    const t = alice.create('ticket', { summary: 'crash', created: '2024-12-02T20:01:20.502Z', due: '2027-01-15', note: 'since 2024-12-02T20:01:20Z, twice' });
    const other = alice.create('ticket', { summary: 'hang', created: '2025-03-04T05:06:07+02:00' });
    // As SD writes a ticket's `created`, and a due date to the minute.
    const sd = alice.create('ticket', { summary: 'slow', created: '2025-06-07 08:09:10', due: '2027-02-03 11:12' });
    const bob = keep(await cloneOf(alice, 'bob', sdAppDefinition));
    for (const r of [alice, bob]) {
      expect(found(r, 'ticket', '502z')).toEqual([]);
      // FTS5 would cut the offset form into 2025, 03, 04t05, 06, 07, 02, 00.
      expect(found(r, 'ticket', '04t05')).toEqual([]);
      expect(found(r, 'ticket', '"06 07 02 00"')).toEqual([]);
      expect(found(r, 'ticket', '"2025 06 07 08 09 10"')).toEqual([]);
      expect(found(r, 'ticket', '"11 12"')).toEqual([]);
      expect(found(r, 'ticket', 'created:<2025-01-01')).toEqual([t.uuid]);
      expect(found(r, 'ticket', 'created:>=2025-01-01')).toEqual([other.uuid, sd.uuid].sort());
      expect(found(r, 'ticket', 'due:>=2027-02-03')).toEqual([sd.uuid]);
      // A date alone, and a timestamp among other words, are text.
      expect(found(r, 'ticket', '"2027 01 15"')).toEqual([t.uuid]);
      expect(found(r, 'ticket', '"2024 12 02t20"')).toEqual([t.uuid]);
    }
  });

  it("fills an owner's row in a clone as its edits did, from sources of two types on one property, one type on two, and one named twice", async () => {
    const app: AppDefinition = {
      name: 'prophet',
      recordTypes: [
        {
          type: 'Bug',
          textFrom: [
            { type: 'Note', prop: 'bug' },
            { type: 'Link', prop: 'bug' },
            { type: 'Note', prop: 'also' },
            // Named twice, it counts once: a phrase does not run from one copy of a note into the next.
            { type: 'Note', prop: 'bug' },
          ],
        },
      ],
    };
    const alice = keep(peer('alice', app));
    const [a, b] = [alice.create('Bug', { summary: 'a' }), alice.create('Bug', { summary: 'b' })];
    alice.create('Note', { bug: a.uuid, text: 'zurich geneva' });
    alice.create('Link', { bug: a.uuid, text: 'basel' });
    alice.create('Note', { bug: b.uuid, also: a.uuid, text: 'geneva bern' });
    const gone = alice.create('Note', { bug: b.uuid, text: 'lugano' });
    alice.delete('Note', gone.uuid);
    alice.create('Other', { bug: b.uuid, text: 'lugano' });
    const bob = keep(await cloneOf(alice, 'bob', app));
    const queries = ['zurich', 'basel', 'bern', 'geneva', 'lugano', '"geneva bern"', '"geneva basel"', '"bern alice"', 'sort:-relevance geneva'];
    const answers = (r: Replica) => queries.map((q) => runQuery(r, 'Bug', q).records.map((x) => x.props.summary));
    expect(answers(alice)).toEqual([['a'], ['a'], ['a', 'b'], ['a', 'b'], [], ['a', 'b'], [], [], answers(alice)[8]]);
    expect(answers(bob)).toEqual(answers(alice));
  });

  it('is filled again by the new rule when a replica from before it is opened', () => {
    const { root, ticket: uuid } = closedTicketWithComment();
    // What schema 9 wrote: the UUID among the comment's words, in both tables.
    const db = new Database(join(root, 'db.sqlite'));
    const [ticket, comment] = ['ticket', 'comment'].map((type) => db.prepare('SELECT luid FROM main_records WHERE type = ?').pluck().get(type) as number);
    const kind = (type: string) => `t${Buffer.from(type).toString('hex')}`;
    db.prepare('DELETE FROM main_fulltext WHERE rowid = ?').run(comment);
    db.prepare('INSERT INTO main_fulltext (rowid, kind, text) VALUES (?, ?, ?)').run(comment, kind('comment'), `${uuid}\nzurich`);
    db.prepare('DELETE FROM main_fulltext_via WHERE rowid = ?').run(ticket);
    db.prepare('INSERT INTO main_fulltext_via (rowid, kind, text) VALUES (?, ?, ?)').run(ticket, kind('ticket'), `${uuid}\nzurich`);
    withObjectProps(db);
    db.pragma('user_version = 9');
    db.close();
    const firstGroup = uuid.split('-')[0]!;
    const upgrades: Array<[number, number]> = [];
    const reopened = keep(openSdReplica(root, { env: testEnv(), onUpgrade: (from, to) => upgrades.push([from, to]) }));
    expect(upgrades).toEqual([[9, SCHEMA_VERSION]]);
    expect(found(reopened, 'ticket', firstGroup)).toEqual([]);
    expect(found(reopened, 'comment', firstGroup)).toEqual([]);
    expect(found(reopened, 'ticket', 'zurich')).toEqual([uuid]);
  });

  it('drops the timestamps\' words of a replica from before schema 14 as it opens it', () => {
    const { root, ticket: uuid } = closedTicketWithComment();
    const db = new Database(join(root, 'db.sqlite'));
    const ticket = db.prepare("SELECT luid FROM main_records WHERE type = 'ticket'").pluck().get() as number;
    // What schema 13 wrote: the ticket's `created` among its words.
    db.prepare('DELETE FROM main_fulltext WHERE rowid = ?').run(ticket);
    db.prepare('INSERT INTO main_fulltext (rowid, kind, text) VALUES (?, ?, ?)').run(ticket, `t${Buffer.from('ticket').toString('hex')}`, 'crash\n2024-12-02T20:01:20.502Z');
    db.pragma('user_version = 13');
    db.close();
    const upgrades: Array<[number, number]> = [];
    const reopened = keep(openSdReplica(root, { env: testEnv(), onUpgrade: (from, to) => upgrades.push([from, to]) }));
    expect(upgrades).toEqual([[13, SCHEMA_VERSION]]);
    expect(found(reopened, 'ticket', '502z')).toEqual([]);
    expect(found(reopened, 'ticket', 'crash')).toEqual([uuid]);
  });
});
