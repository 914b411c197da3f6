import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/prophet/replica/query.js';
import { Replica, type AppDefinition } from '../../src/prophet/replica/replica.js';
import { undo } from '../../src/prophet/replica/undo.js';
import { initSdReplica, openSdReplica, sdAppDefinition } from '../../src/sd/model/app.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { closedTicketWithComment, withPropsTable } from '../helpers/old-schema.js';
import { cloneOf, peer, pull } from '../sync/helpers.js';

/**
 * A ticket is found by the words of its comments (`textFrom`), kept in the
 * index's second table by the ticket's local id: after every way a comment
 * comes, changes or goes.
 */

const opened: Replica[] = [];
afterEach(() => {
  for (const r of opened.splice(0)) r.close();
});
const sdPeer = (name: string) => {
  const r = peer(name, sdAppDefinition);
  opened.push(r);
  return r;
};
const summaries = (r: Replica, q: string) => runQuery(r, 'ticket', q).records.map((x) => x.props.summary);

describe("a ticket found by its comments' words", () => {
  it('after a comment is added, edited (its old word no longer finds it), deleted, and the delete undone', () => {
    const sd = sdPeer('alice');
    const t = sd.create('ticket', { summary: 'crash' });
    sd.create('ticket', { summary: 'other' });
    expect(summaries(sd, 'zurich')).toEqual([]);
    const c = sd.create('comment', { ticket: t.uuid, content: 'seen on the Zürich server' });
    expect(summaries(sd, 'zurich')).toEqual(['crash']);
    sd.update('comment', c.uuid, { content: 'seen in Genève' });
    expect(summaries(sd, 'zurich')).toEqual([]);
    expect(summaries(sd, 'geneve')).toEqual(['crash']);
    sd.delete('comment', c.uuid);
    expect(summaries(sd, 'geneve')).toEqual([]);
    undo(sd, sd.latestSequenceNo());
    expect(summaries(sd, 'geneve')).toEqual(['crash']);
    // Comments are found as themselves too, and tickets' own words do not find comments.
    expect(runQuery(sd, 'comment', 'geneve').records.map((x) => x.uuid)).toEqual([c.uuid]);
    expect(runQuery(sd, 'comment', 'crash').records).toEqual([]);
  });

  it('not while its ticket is deleted, and again once that is undone', () => {
    const sd = sdPeer('alice');
    const t = sd.create('ticket', { summary: 'crash' });
    sd.create('comment', { ticket: t.uuid, content: 'zurich' });
    sd.delete('ticket', t.uuid);
    expect(summaries(sd, 'zurich')).toEqual([]);
    undo(sd, sd.latestSequenceNo());
    expect(summaries(sd, 'zurich')).toEqual(['crash']);
  });

  it('after a pull brings a comment', async () => {
    const alice = sdPeer('alice');
    const t = alice.create('ticket', { summary: 'crash' });
    const bob = await cloneOf(alice, 'bob', sdAppDefinition);
    opened.push(bob);
    alice.create('comment', { ticket: t.uuid, content: 'zurich' });
    expect(summaries(bob, 'zurich')).toEqual([]);
    await pull(bob, alice);
    expect(summaries(bob, 'zurich')).toEqual(['crash']);
  });

  it('in a clone, whose index is built at the end of the load', async () => {
    const alice = sdPeer('alice');
    const t = alice.create('ticket', { summary: 'crash' });
    alice.create('comment', { ticket: t.uuid, content: 'zurich' });
    alice.create('attachment', { ticket: t.uuid, name: 'core-dump.txt', content: 'x' });
    const bob = await cloneOf(alice, 'bob', sdAppDefinition);
    opened.push(bob);
    expect(summaries(bob, 'zurich')).toEqual(['crash']);
    expect(summaries(bob, '"core dump"')).toEqual(['crash']);
  });

  it('when a comment moves to another ticket, for that ticket only', () => {
    const app: AppDefinition = { name: 'prophet', recordTypes: [{ type: 'Bug', textFrom: [{ type: 'Note', prop: 'bug' }] }] };
    const r = peer('alice', app);
    opened.push(r);
    const a = r.create('Bug', { summary: 'a' });
    const b = r.create('Bug', { summary: 'b' });
    const n = r.create('Note', { bug: a.uuid, text: 'zurich' });
    r.update('Note', n.uuid, { bug: b.uuid });
    expect(runQuery(r, 'Bug', 'zurich').records.map((x) => x.props.summary)).toEqual(['b']);
  });

  it('in a replica made before the comments had their own table, once SD opens it', () => {
    const { root } = closedTicketWithComment();
    // What the previous schema (version 5) had: one table, no type token, no sources.
    const db = new Database(join(root, 'db.sqlite'));
    for (const p of ['main_', 'res_']) {
      db.exec(`DROP TABLE ${p}fulltext; DROP TABLE ${p}fulltext_via; DELETE FROM ${p}metadata WHERE key = 'full-text-sources'`);
      db.exec(`CREATE VIRTUAL TABLE ${p}fulltext USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`);
    }
    withPropsTable(db);
    db.pragma('user_version = 5');
    db.close();
    const reopened = openSdReplica(root, { env: testEnv() });
    opened.push(reopened);
    expect(summaries(reopened, 'zurich')).toEqual(['crash']);
    expect(summaries(reopened, 'crash')).toEqual(['crash']);
  });

  it('takes the sources an older release stored in its locale order as the same, and rebuilds nothing', () => {
    // Locale order puts `comment` before `Note`; code-unit order, today's, puts `Note` first.
    const app: AppDefinition = { name: 'prophet', recordTypes: [{ type: 'Bug', textFrom: [{ type: 'Note', prop: 'bug' }, { type: 'comment', prop: 'bug' }] }] };
    const root = join(tempDir(), 'bugs');
    const r = Replica.init(root, { env: testEnv(), app });
    const bug = r.create('Bug', { summary: 'crash' });
    r.create('Note', { bug: bug.uuid, text: 'zurich' });
    r.close();
    const older = `[${['{"owner":"Bug","type":"comment","prop":"bug"}', '{"owner":"Bug","type":"Note","prop":"bug"}'].join(',')}]`;
    const db = new Database(join(root, 'db.sqlite'));
    try {
      const stored = db.prepare("SELECT value FROM main_metadata WHERE key = 'full-text-sources'").pluck();
      expect(stored.get()).not.toBe(older);
      db.prepare("UPDATE main_metadata SET value = ? WHERE key = 'full-text-sources'").run(older);
      // Had the reopen taken them for other sources, it would have rebuilt the `via` rows: this one is gone from there.
      db.exec('DELETE FROM main_fulltext_via');
      const reopened = Replica.open(root, { env: testEnv(), app });
      opened.push(reopened);
      expect(stored.get()).toBe(older);
      expect(runQuery(reopened, 'Bug', 'zurich').records).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('keeps its sources when a program that does not know the app writes the replica', () => {
    const root = join(tempDir(), 'sd');
    initSdReplica(root, { env: testEnv() }).close();
    const generic = Replica.open(root, { env: testEnv() });
    const t = generic.create('ticket', { summary: 'crash' });
    generic.create('comment', { ticket: t.uuid, content: 'zurich' });
    generic.close();
    const sd = openSdReplica(root, { env: testEnv() });
    opened.push(sd);
    expect(summaries(sd, 'zurich')).toEqual(['crash']);
  });
});
