import { afterEach, describe, expect, it } from 'vitest';
import { oneLine, Sandbox } from '../cli/helpers.js';
import { call, startProphetServer } from './live-server.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  while (boxes.length) boxes.pop()!.cleanup();
});

function sandbox(email = 'owner@example.com', init = true): Sandbox {
  const box = new Sandbox({ PROPHET_EMAIL: email });
  boxes.push(box);
  if (init) box.ok(['init']);
  return box;
}

interface Listed {
  id: string;
  label: string;
  scopes: string[];
  type?: string;
}

describe('prophet server token create --scope --type', () => {
  it('creates tokens with scopes and a record type, and lists them', () => {
    const owner = sandbox();
    const all = owner.json<Listed & { token: string }>(['server', 'token', 'create', '--label', 'everything']);
    expect(all.scopes).toEqual(['read', 'push', 'write']);
    expect(all.token).toMatch(new RegExp(`^${all.id}\\.`));
    const printed = owner.ok(['server', 'token', 'create', '--scope', 'write, push', '--type', 'Bug', '--label', 'bugs']);
    expect(printed).toMatch(/created \(push,write \(Bug only\)\)/);

    const listed = owner.json<Listed[]>(['server', 'token', 'list']);
    expect(listed).toHaveLength(2);
    expect(listed.find((t) => t.label === 'everything')).toMatchObject({ scopes: ['read', 'push', 'write'] });
    expect(listed.find((t) => t.label === 'everything')).not.toHaveProperty('type');
    expect(listed.find((t) => t.label === 'bugs')).toMatchObject({ scopes: ['push', 'write'], type: 'Bug' });
    expect(owner.ok(['server', 'token', 'list'])).toMatch(/push,write \(Bug only\) {2}bugs/);
    expect(JSON.stringify(listed)).not.toContain(all.token);
  });

  it('refuses an unknown scope, no scope, and a type without a scope that changes anything, in one line', () => {
    const owner = sandbox();
    const cases: Array<[string[], RegExp]> = [
      [['--scope', 'admin'], /'admin' is not a token scope: the scopes are read, push, write/],
      [['--scope', ','], /give a token at least one scope: read, push, write/],
      [['--scope', 'read', '--type', 'Bug'], /a record type limits what a token may change: give it with the push or write scope/],
      [['--type', '__prophet_db_settings'], /not a record type a token can be limited to/],
    ];
    for (const [args, message] of cases) {
      const r = owner.fails(['server', 'token', 'create', ...args]);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr).toMatch(message);
    }
    expect(owner.ok(['server', 'token', 'list'])).toBe('No server tokens.\n');
  });

  it('a push with a read-only token is refused in one line; a Bug-only token writes Bugs only', async () => {
    const owner = sandbox();
    owner.ok(['create', '--type', 'Bug', '--', 'summary=first']);
    const reader = owner.ok(['server', 'token', 'create', '--scope', 'read']).split('\n')[0]!;
    const bugs = owner.ok(['server', 'token', 'create', '--scope', 'push,write', '--type', 'Bug']).split('\n')[0]!;
    const server = await startProphetServer(owner, ['--writable']);

    const alice = sandbox('alice@example.com', false);
    expect((await alice.start(['clone', '--from', server.url])).code).toBe(0);
    alice.ok(['create', '--type', 'Bug', '--', 'summary=from alice']);
    const refused = await alice.start(['push', '--to', server.url, '--token', reader]);
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toBe(true);
    expect(refused.stderr).toMatch(/refused the push: this token may not push \(its scopes: read/);
    expect((await alice.start(['push', '--to', server.url, '--token', bugs])).code).toBe(0);

    expect((await call(server, 'POST', '/records/Bug', { summary: 'over REST' }, bugs)).status).toBe(201);
    expect((await call(server, 'POST', '/records/Task', { summary: 'not a bug' }, bugs)).status).toBe(403);
  });
});
