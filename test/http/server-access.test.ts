import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/prophet/server/tokens.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { pushOverHttp } from '../../src/prophet/replication/operations.js';
import { entryToArray } from '../../src/prophet/transports/pack.js';
import { rowToEntry } from '../../src/prophet/transports/published-log.js';
import { oneLine, Sandbox } from '../cli/helpers.js';
import { newReplica } from '../helpers/temp-replica.js';
import { cloneFrom, pull, recordsOf } from './helpers.js';
import { call, serve, startProphetServer } from './live-server.js';

describe('prophet server: token scopes', () => {
  it('a read token cannot push or write; a push token cannot write records; a write token cannot push', async () => {
    const origin = newReplica();
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
    const origin = newReplica();
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
    const origin = newReplica();
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
    const origin = newReplica();
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
    const origin = newReplica();
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

describe('prophet server: reads that need a token', () => {
  it('a server that is not public answers every read, known path or not, only to a token with the read scope', async () => {
    const origin = newReplica();
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

describe('prophet clone and pull from a server whose reads need a token', () => {
  it('send the read token from --token, PROPHET_TOKEN or the credentials file, and without one fail in one line', async () => {
    const origin = newReplica();
    origin.create('Bug', { summary: 'private' });
    const read = createToken(origin, 'reader', { scopes: ['read'] }).token;
    const server = await serve(origin, { public: false });
    const box = new Sandbox();
    try {
      const refused = await box.start(['clone', '--from', server.url, '--to', 'nope']);
      expect(refused.code).not.toBe(0);
      expect(oneLine(refused.stderr)).toBe(true);
      expect(refused.stderr).toMatch(/token/);

      expect((await box.start(['clone', '--from', server.url], { env: { PROPHET_TOKEN: read } })).code).toBe(0);
      expect(box.json<Array<{ props: { summary: string } }>>(['search', '--type', 'Bug']).map((r) => r.props.summary)).toEqual(['private']);

      origin.create('Bug', { summary: 'later' });
      expect((await box.start(['pull', '--from', server.url, '--token', read])).code).toBe(0);
      origin.create('Bug', { summary: 'later still' });
      // Saved under the replica's URL in the credentials file, the token needs no flag.
      writeFileSync(join(box.home, 'credentials'), `[credential "${server.url}"]\n\ttoken = ${read}\n`, { mode: 0o600 });
      const pulled = await box.start(['pull', '--from', server.url], { env: { PROPHET_CREDENTIALS: join(box.home, 'credentials') } });
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(box.json<Array<{ props: { summary: string } }>>(['search', '--type', 'Bug']).map((r) => r.props.summary).sort()).toEqual(['later', 'later still', 'private']);
      for (const out of [pulled.stdout, pulled.stderr]) expect(out).not.toContain(read);
    } finally {
      box.cleanup();
    }
  });
});

describe('prophet server: invalid tokens', () => {
  it('refuses an address with 429 after too many invalid tokens, logs each without the token, and forgives after the window', async () => {
    const origin = newReplica();
    const { token } = createToken(origin);
    const lines: string[] = [];
    const server = await serve(origin, { writable: true, failedTokenLimit: { max: 3, windowMs: 1_500 }, log: (line) => lines.push(line) });
    const guesses = ['deadbeef.guess-1', 'deadbeef.guess-2', 'not-a-token'];
    for (const guess of guesses) expect((await call(server, 'POST', '/records/Bug', { summary: 'x' }, guess)).status).toBe(401);

    const blocked = await call(server, 'POST', '/records/Bug', { summary: 'x' }, token);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.json.error).toMatch(/too many invalid tokens from 127\.0\.0\.1/);
    // Reads of a public server need no token, so they go on.
    expect((await call(server, 'GET', '/records')).status).toBe(200);

    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toMatch(/refused an invalid token from 127\.0\.0\.1 for POST \/records\/Bug/);
      for (const guess of guesses) expect(line).not.toContain(guess);
    }
    expect(lines[2]).toMatch(/3 in 2 s; refusing its tokens for 2 s/);

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await call(server, 'POST', '/records/Bug', { summary: 'after the window' }, token)).status).toBe(201);
  });

  it('`prophet server` logs a refused token on stderr, naming the address, never the token', async () => {
    const owner = new Sandbox();
    try {
      owner.ok(['init']);
      const server = await startProphetServer(owner, ['--writable']);
      const guess = 'abcdef12.not-the-secret';
      expect((await call(server, 'POST', '/records/Bug', { summary: 'x' }, guess)).status).toBe(401);
      await expect.poll(() => server.stderr()).toMatch(/refused an invalid token from 127\.0\.0\.1/);
      expect(server.stderr()).not.toContain(guess);
      expect(server.stderr()).not.toContain('not-the-secret');
    } finally {
      owner.cleanup();
    }
  });
});
