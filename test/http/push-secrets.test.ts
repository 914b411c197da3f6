import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, type RunResult } from '../cli/helpers.js';
import { startProphetServer } from './live-server.js';
import { startStaticServer } from './static-server.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function sandbox(email: string): Sandbox {
  const box = new Sandbox({ PROPHET_EMAIL: email });
  cleanup.push(() => box.cleanup());
  return box;
}

async function ok(box: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const r = await box.start(args, { env });
  if (r.code !== 0) throw new Error(`prophet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

/** An owner serving a writable replica, a token for it, and Alice holding a clone with a change to push. */
async function writableServer(): Promise<{ owner: Sandbox; alice: Sandbox; url: string; token: string }> {
  const owner = sandbox('owner@example.com');
  const alice = sandbox('alice@example.com');
  owner.ok(['init']);
  owner.ok(['create', '--type', 'Bug', '--', 'summary=first']);
  const token = owner.ok(['server', 'token', 'create']).split('\n')[0]!;
  const server = await startProphetServer(owner, ['--writable']);
  await ok(alice, ['clone', '--from', server.url]);
  return { owner, alice, url: server.url, token };
}

describe('push tokens', () => {
  it('takes the token from PROPHET_TOKEN, from the credentials file, and from an old config; never prints it', async () => {
    const { alice, url, token } = await writableServer();
    const outputs: string[] = [];
    const push = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      alice.ok(['create', '--type', 'Bug', '--', `summary=pushed with ${args.join(' ')}`]);
      const r = await ok(alice, ['push', ...args], env);
      outputs.push(r.stdout, r.stderr);
      expect(r.stdout).toMatch(/Pushed 1 changeset/);
    };

    const refused = await alice.start(['push', '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/PROPHET_TOKEN/);

    await push(['--to', url], { PROPHET_TOKEN: token });

    alice.ok(['config', 'replica.server.url', url]);
    outputs.push(alice.ok(['config', 'replica.server.token', token]));
    await push(['--to', 'server']);

    // A token saved under the server's URL serves a push to the URL too.
    const credentials = join(alice.home, '.config', 'prophet', 'credentials');
    writeFileSync(credentials, `[credential "${url}"]\n\ttoken = ${token}\n`);
    await push(['--to', url.replace(/\/$/, '')]);

    // A config written before the credentials file still works.
    writeFileSync(credentials, '');
    writeFileSync(join(alice.repo, 'config'), `${readFileSync(join(alice.repo, 'config'), 'utf8')}[replica "server"]\n\ttoken = ${token}\n`);
    await push(['--to', 'server']);

    outputs.push(alice.ok(['config']), alice.ok(['config', 'replica.server.token']));
    for (const text of outputs) expect(text).not.toContain(token.split('.')[1]);
  });
});

describe('URLs with a password', () => {
  it('never prints the password, sends it as Basic auth, and keeps it in the credentials file', async () => {
    const owner = sandbox('owner@example.com');
    const alice = sandbox('alice@example.com');
    owner.ok(['init']);
    owner.ok(['create', '--type', 'Bug', '--', 'summary=behind a password']);
    const site = join(owner.dir, 'site');
    owner.ok(['publish', site]);
    const host = await startStaticServer(site, { basicAuth: 'alice:hunter2' });
    cleanup.push(() => host.close());
    const withPassword = (password: string) => host.url.replace('http://', `http://alice:${password}@`);

    const failures = await Promise.all([
      alice.start(['clone', '--from', withPassword('wrong-pass')]),
      alice.start(['clone', '--from', withPassword('wrong-pass'), '--debug']),
      alice.start(['push', '--to', withPassword('wrong-pass')]),
      alice.start(['clone', '--from', `prophet:${withPassword('wrong-pass')}nowhere`]),
    ]);
    for (const r of failures) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).not.toContain('wrong-pass');
    }
    expect(failures[0]!.stderr).toMatch(/401/);

    const cloned = await ok(alice, ['clone', '--from', withPassword('hunter2')]);
    expect(cloned.stdout + cloned.stderr).not.toContain('hunter2');
    expect(alice.ok(['search', '--type', 'Bug'])).toMatch(/behind a password/);
    expect(readFileSync(join(alice.repo, 'config'), 'utf8')).not.toContain('hunter2');
    expect(readFileSync(join(alice.home, '.config', 'prophet', 'credentials'), 'utf8')).toContain('password = hunter2');

    // The remembered URL has no password; the credentials file supplies it.
    owner.ok(['create', '--type', 'Bug', '--', 'summary=later']);
    owner.ok(['publish', site]);
    const pulled = await ok(alice, ['pull', '--all']);
    expect(pulled.stdout).toMatch(/Merged 1 changeset/);
    expect(pulled.stdout + alice.ok(['config']) + alice.ok(['conflicts'])).not.toContain('hunter2');
  });
});
