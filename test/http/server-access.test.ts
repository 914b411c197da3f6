import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/prophet/server/tokens.js';
import { oneLine, Sandbox } from '../cli/helpers.js';
import { newReplica } from '../helpers/temp-replica.js';
import { call, serve, startProphetServer } from './live-server.js';
import { tokenContract } from './token-contract.js';

tokenContract('SQLite', newReplica);

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
