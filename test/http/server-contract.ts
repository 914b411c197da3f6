/**
 * What `prophet server` answers over HTTP whatever holds its replica, as
 * one suite: run over a replica on disk (server.test.ts) and over a hub in
 * PostgreSQL (test/hub/server.test.ts). Clones, pulls, pushes and the REST
 * API; the clients are replicas on disk either way.
 */
import { describe, expect, it } from 'vitest';
import type { InitOptions, Replica } from '../../src/prophet/replica/replica.js';
import { createToken, listTokens, revokeToken } from '../../src/prophet/server/tokens.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { pushOverHttp } from '../../src/prophet/replication/operations.js';
import { newReplica } from '../helpers/temp-replica.js';
import { cloneFrom, pull, recordsOf } from './helpers.js';
import { call, serve } from './live-server.js';

/** A new, empty replica for a server to serve, in the storage under test; it goes away after the test. */
export type NewServedReplica = (opts?: InitOptions) => Replica;

export function serverContract(engine: string, newServed: NewServedReplica): void {
  describe(`prophet server on ${engine}: replica protocol`, () => {
    it('clones, pulls incrementally, and a no-op pull costs one request', async () => {
      const alice = newServed();
      for (let i = 0; i < 30; i++) alice.create('Bug', { summary: `bug ${i}`, status: 'new' });
      const server = await serve(alice);
      const bob = await cloneFrom(new HttpSource(server.url));
      expect(recordsOf(bob, 'Bug')).toEqual(recordsOf(alice, 'Bug'));

      const [first] = alice.liveRecords('Bug');
      alice.update('Bug', first!.uuid, { status: 'open' });
      alice.create('Bug', { summary: 'later' });
      const report = await pull(new HttpSource(server.url), bob);
      expect(report.changesets.integrated).toBe(2);
      expect(recordsOf(bob, 'Bug')).toEqual(recordsOf(alice, 'Bug'));

      const noop = new HttpSource(server.url);
      const started = performance.now();
      const again = await pull(noop, bob);
      expect(again.changesets.integrated).toBe(0);
      expect(noop.client.requests).toBeLessThanOrEqual(2);
      expect(performance.now() - started).toBeLessThan(500);
    });
  });

  describe(`prophet server on ${engine}: REST API`, () => {
    it('lists types, searches, gets, creates, updates, deletes and shows history with a token', async () => {
      const replica = newServed();
      replica.create('Bug', { summary: 'first', status: 'open' });
      replica.create('Bug', { summary: 'second', status: 'closed' });
      const { token } = createToken(replica, 'test');
      const server = await serve(replica, { writable: true });

      expect((await call(server, 'GET', '/records')).json.types).toContain('Bug');
      const open = await call(server, 'GET', '/records/Bug?status=open');
      expect((open.json.records as Array<{ props: Record<string, string> }>).map((r) => r.props.summary)).toEqual(['first']);
      const notClosed = await call(server, 'GET', '/records/Bug?status!=closed&summary~=fir');
      expect((notClosed.json.records as unknown[]).length).toBe(1);

      const created = await call(server, 'POST', '/records/Bug', { summary: 'made over http', status: 'new' }, token);
      expect(created.status).toBe(201);
      const uuid = created.json.uuid as string;
      expect((await call(server, 'GET', `/records/Bug/${uuid}`)).json.props).toMatchObject({ summary: 'made over http', status: 'new' });
      const updated = await call(server, 'PATCH', `/records/Bug/${uuid}`, { status: 'open', summary: null }, token);
      expect(updated.json.props).toMatchObject({ status: 'open' });
      expect(updated.json.props).not.toHaveProperty('summary');
      const hist = await call(server, 'GET', `/records/Bug/${uuid}/history`);
      expect((hist.json.changesets as Array<{ change_type: string }>).map((c) => c.change_type)).toEqual(['add', 'update']);
      expect((await call(server, 'DELETE', `/records/Bug/${uuid}`, undefined, token)).json.deleted).toBe(true);
      expect((await call(server, 'GET', `/records/Bug/${uuid}`)).status).toBe(404);
      expect((await call(server, 'GET', `/records/Bug/${uuid}/history`)).json.changesets).toHaveLength(3);
    });

    it('refuses writes without a valid token (401) and on a read-only server (403)', async () => {
      const replica = newServed();
      const { token, info } = createToken(replica);
      const writable = await serve(replica, { writable: true });
      expect((await call(writable, 'POST', '/records/Bug', { summary: 'x' })).status).toBe(401);
      expect((await call(writable, 'POST', '/records/Bug', { summary: 'x' }, `${info.id}.wrong`)).status).toBe(401);
      expect(listTokens(replica).map((t) => t.id)).toEqual([info.id]);
      revokeToken(replica, info.id);
      const revoked = await call(writable, 'POST', '/records/Bug', { summary: 'x' }, token);
      expect(revoked.status).toBe(401);
      expect(revoked.json.error).toMatch(/not valid/);

      const readOnly = await serve(replica);
      const refused = await call(readOnly, 'POST', '/records/Bug', { summary: 'x' }, token);
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatch(/read-only/);
      expect(replica.types()).not.toContain('Bug');
    });

    it('answers bad requests with a 4xx JSON error and stays up', async () => {
      const replica = newServed();
      const { token } = createToken(replica);
      const server = await serve(replica, { writable: true, bodyLimit: 1024 });
      const bad = [
        await call(server, 'POST', '/records/Bug', '{"summary": ', token),
        await call(server, 'POST', '/records/Bug', [1, 2], token),
        await call(server, 'POST', '/records/Bug', { summary: 3 }, token),
        await call(server, 'POST', '/records/Bug', { summary: 'x'.repeat(5000) }, token),
        await call(server, 'GET', '/packs/..%2F..%2F..%2Fetc%2Fpasswd'),
        await call(server, 'GET', '/packs/../../../etc/passwd'),
        await call(server, 'GET', '/%2e%2e/%2e%2e/etc/passwd'),
        await call(server, 'GET', '/records/Bug/not-an-id'),
        await call(server, 'PATCH', '/records/Bug/12345', { a: 'b' }, token),
        await call(server, 'POST', '/push', { nonsense: true }, token),
      ];
      expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 413, 400, 404, 404, 400, 404, 400]);
      for (const method of ['POST', 'PATCH', 'DELETE']) {
        const own = await call(server, method, `/records/__prophet_db_settings${method === 'POST' ? '' : '/1'}`, method === 'DELETE' ? undefined : { label: 'x' }, token);
        expect(own).toMatchObject({ status: 403, json: { error: expect.stringMatching(/settings: change them with the 'settings' command/) } });
      }
      expect(replica.types()).not.toContain('__prophet_db_settings');
      for (const r of bad) expect(typeof r.json.error).toBe('string');
      expect((await call(server, 'GET', '/')).json.uuid).toBe(replica.uuid);
    });
  });

  describe(`push over HTTP to a server on ${engine}`, () => {
    it('sends what the server has not seen, only with a valid token', async () => {
      const server0 = newServed();
      server0.create('Bug', { summary: 'on the server' });
      const { token } = createToken(server0);
      const server = await serve(server0, { writable: true });
      const alice = await cloneFrom(new HttpSource(server.url), 'alice@example.com');
      alice.create('Bug', { summary: 'from alice' });
      alice.create('Bug', { summary: 'also from alice' });

      await expect(pushOverHttp(alice, server.url)).rejects.toThrow(/token is required.*--token/);
      await expect(pushOverHttp(alice, server.url, { token: 'deadbeef.nope' })).rejects.toThrow(/not valid/);
      expect(server0.liveRecords('Bug')).toHaveLength(1);

      const report = await pushOverHttp(alice, server.url, { token });
      expect(report.changesets.integrated).toBe(2);
      expect(recordsOf(server0, 'Bug')).toEqual(recordsOf(alice, 'Bug'));
      const again = await pushOverHttp(alice, server.url, { token });
      expect(again).toMatchObject({ changesets: { integrated: 0 }, batches: 0 });
    });

    it('refuses a push of another database with 409, naming both, and is not retried', async () => {
      const server0 = newServed();
      const { token } = createToken(server0);
      const server = await serve(server0, { writable: true });
      const stranger = newReplica();
      stranger.create('Bug', { summary: 'elsewhere' });
      const refused = pushOverHttp(stranger, server.url, { token, backoffMs: 5_000 });
      await expect(refused).rejects.toThrow(`${server.url} refused the push: this server's database is ${server0.databaseUuid}, the pushed replica's is ${stranger.databaseUuid}: a server takes pushes of its own database only`);
      expect(server0.types()).not.toContain('Bug');
    });

    it('refuses a push to a read-only server and answers a conflict it cannot settle with 409', async () => {
      const origin = newServed();
      const { uuid } = origin.create('Bug', { summary: 'shared', status: 'new' });
      const { token } = createToken(origin);
      const readOnly = await serve(origin);
      const alice = await cloneFrom(new HttpSource(readOnly.url), 'alice@example.com');
      alice.update('Bug', uuid, { status: 'open' });
      await expect(pushOverHttp(alice, readOnly.url, { token })).rejects.toThrow(/read-only/);

      origin.update('Bug', uuid, { status: 'stalled' });
      const strict = await serve(origin, { writable: true });
      await expect(pushOverHttp(alice, strict.url, { token })).rejects.toThrow(/409|cannot settle the conflict on/);
      expect(origin.get(uuid).props.status).toBe('stalled');

      const lenient = await serve(origin, { writable: true, push: { prefer: 'target' } });
      const report = await pushOverHttp(alice, lenient.url, { token });
      expect(report.conflicts).toHaveLength(1);
      expect(origin.get(uuid).props.status).toBe('stalled');
    });
  });
}
