/**
 * What a server's tokens allow, by scope and record type, whatever holds
 * its replica: run over a replica on disk (server-access.test.ts) and over
 * a hub in PostgreSQL (test/hub/server.test.ts), where the tokens live in
 * the database.
 */
import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/prophet/server/tokens.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { pushOverHttp } from '../../src/prophet/replication/operations.js';
import { entryToArray } from '../../src/prophet/transports/pack.js';
import { rowToEntry } from '../../src/prophet/transports/published-log.js';
import { cloneFrom, pull, recordsOf } from './helpers.js';
import { call, serve } from './live-server.js';
import type { NewServedReplica } from './server-contract.js';

export function tokenContract(engine: string, newServed: NewServedReplica): void {
  describe(`prophet server on ${engine}: token scopes`, () => {
    it('a read token cannot push or write; a push token cannot write records; a write token cannot push', async () => {
      const origin = newServed();
      origin.create('Bug', { summary: 'on the server' });
      const read = createToken(origin, 'reader', { scopes: ['read'] }).token;
      const push = createToken(origin, 'pusher', { scopes: ['push'] }).token;
      const write = createToken(origin, 'writer', { scopes: ['write'] }).token;
      const server = await serve(origin, { writable: true });
      const alice = await cloneFrom(new HttpSource(server.url), 'alice@example.com');
      alice.create('Bug', { summary: 'from alice' });

      await expect(pushOverHttp(alice, server.url, { token: read })).rejects.toThrow(/may not push \(its scopes: read/);
      await expect(pushOverHttp(alice, server.url, { token: write })).rejects.toThrow(/may not push \(its scopes: write/);
      expect((await call(server, 'POST', '/records/Bug', { summary: 'x' }, read)).json.error).toMatch(/may not write records/);
      expect((await call(server, 'POST', '/records/Bug', { summary: 'x' }, push)).status).toBe(403);
      expect(origin.types()).toEqual(['Bug', '__prophet_key']);
      expect(Object.keys(recordsOf(origin, 'Bug'))).toHaveLength(1);

      expect((await pushOverHttp(alice, server.url, { token: push })).changesets.integrated).toBe(1);
      expect((await call(server, 'POST', '/records/Bug', { summary: 'over REST' }, write)).status).toBe(201);
    });

    it('a token limited to a type writes that type only over REST', async () => {
      const origin = newServed();
      const task = origin.create('Task', { summary: 'not yours' });
      const { token } = createToken(origin, 'bugs', { scopes: ['write'], type: 'Bug' });
      const server = await serve(origin, { writable: true });

      const bug = await call(server, 'POST', '/records/Bug', { summary: 'mine' }, token);
      expect(bug.status).toBe(201);
      expect((await call(server, 'PATCH', `/records/Bug/${bug.json.uuid as string}`, { status: 'open' }, token)).status).toBe(200);
      const refused = [
        await call(server, 'POST', '/records/Task', { summary: 'x' }, token),
        await call(server, 'PATCH', `/records/Task/${task.uuid}`, { summary: 'changed' }, token),
        await call(server, 'DELETE', `/records/Task/${task.uuid}`, undefined, token),
      ];
      for (const r of refused) expect(r).toMatchObject({ status: 403, json: { error: "this token may write 'Bug' records only, not 'Task'" } });
      expect(origin.get(task.uuid).props.summary).toBe('not yours');
    });

    it("a token limited to a type pushes that type's changes, lets through what the server already has, and refuses the rest", async () => {
      const origin = newServed();
      const { uuid: shared } = origin.create('Task', { summary: 'the server made this', status: 'new' });
      const { token } = createToken(origin, 'bugs', { scopes: ['push'], type: 'Bug' });
      const server = await serve(origin, { writable: true });
      const alice = await cloneFrom(new HttpSource(server.url), 'alice@example.com');

      // Her log holds the server's Task changeset too: it is relayed, not new, so it passes.
      alice.create('Bug', { summary: 'a bug' });
      expect((await pushOverHttp(alice, server.url, { token })).changesets.integrated).toBe(1);

      alice.update('Task', shared, { status: 'done' });
      alice.create('Bug', { summary: 'another bug' });
      await expect(pushOverHttp(alice, server.url, { token })).rejects.toThrow(/may push changes to 'Bug' records only; changeset \d+@[0-9a-f-]+ changes a 'Task' record/);
      expect(origin.get(shared).props.status).toBe('new');
      expect(Object.keys(recordsOf(origin, 'Bug'))).toHaveLength(1);
    });

    it("refuses from a type-limited token a resolution database decision about another type's conflict", async () => {
      const origin = newServed();
      const { uuid } = origin.create('Task', { summary: 'shared', status: 'new' });
      const { token } = createToken(origin, 'bugs', { scopes: ['push'], type: 'Bug' });
      const server = await serve(origin, { writable: true });
      const alice = await cloneFrom(new HttpSource(server.url), 'alice@example.com');
      alice.update('Task', uuid, { status: 'open' });
      origin.update('Task', uuid, { status: 'stalled' });
      // Alice settles the conflict; her resolution database records the decision.
      expect((await pull(new HttpSource(server.url), alice, { prefer: 'source' })).conflicts).toHaveLength(1);
      const decisions = [...alice.resdb.rawChangesets(1)].map((row) => entryToArray(rowToEntry(row)));
      expect(decisions.length).toBeGreaterThan(0);

      // Only the decision, as a hand-made batch would carry it.
      const batch = {
        replica: { uuid: alice.uuid, database_uuid: alice.databaseUuid },
        resolutions: { uuid: alice.resdb.uuid, database_uuid: alice.resdb.databaseUuid },
        changesets: [],
        resolution_changesets: decisions,
      };
      const refused = await call(server, 'POST', '/push', batch, token);
      expect(refused).toMatchObject({ status: 403, json: { error: expect.stringMatching(/records a decision about a 'Task' record/) } });
      expect(origin.resdb.latestSequenceNo()).toBe(0);
    });

    it('a token made before scopes existed keeps every right', async () => {
      const origin = newServed();
      const { token, info } = createToken(origin, 'old');
      const tokens = origin.metadata('server-token.');
      const { scopes: _dropped, ...legacy } = JSON.parse(tokens.get(info.id)!) as Record<string, unknown>;
      tokens.set(info.id, JSON.stringify(legacy));
      const server = await serve(origin, { writable: true, public: false });
      expect((await call(server, 'GET', '/records', undefined, token)).status).toBe(200);
      expect((await call(server, 'POST', '/records/Bug', { summary: 'x' }, token)).status).toBe(201);
      const alice = await cloneFrom(new HttpSource(server.url, { token }), 'alice@example.com');
      alice.create('Bug', { summary: 'pushed' });
      expect((await pushOverHttp(alice, server.url, { token })).changesets.integrated).toBe(1);
    });
  });

  describe(`prophet server on ${engine}: reads that need a token`, () => {
    it('a server that is not public answers every read, known path or not, only to a token with the read scope', async () => {
      const origin = newServed();
      origin.create('Bug', { summary: 'private' });
      const read = createToken(origin, 'reader', { scopes: ['read'] }).token;
      const push = createToken(origin, 'pusher', { scopes: ['push'] }).token;
      const server = await serve(origin, { public: false });

      for (const path of ['/', '/replica.json', '/records', '/records/Bug', '/no/such/path']) {
        expect((await call(server, 'GET', path)).status).toBe(401);
        expect((await call(server, 'GET', path, undefined, push)).status).toBe(403);
      }
      expect((await call(server, 'GET', '/records/Bug', undefined, read)).status).toBe(200);
      expect((await call(server, 'GET', '/no/such/path', undefined, read)).status).toBe(404);
      const bob = await cloneFrom(new HttpSource(server.url, { token: read }));
      expect(recordsOf(bob, 'Bug')).toEqual(recordsOf(origin, 'Bug'));
      // Read-only: a read token does not make it writable.
      expect((await call(server, 'POST', '/records/Bug', { summary: 'x' }, read)).status).toBe(403);
    });
  });
}
