/**
 * The trust and key commands and the signature marks, as people type
 * them: two users with their own HOMEs (and so their own keys) on one
 * machine, each command a child process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { oneLine, Sandbox } from '../cli/helpers.js';
import { createdId, sdUserWithReplica } from '../sd/sd-cli.js';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  while (sandboxes.length) sandboxes.pop()!.cleanup();
});

function user(email: string): Sandbox {
  const s = new Sandbox({ PROPHET_EMAIL: email });
  sandboxes.push(s);
  return s;
}

interface Logged {
  sequence_no: number;
  creator: string;
  signature: string;
  signing_key: string | null;
}

interface KeyList {
  policy: string;
  keys: Array<{ fingerprint: string; email: string; trusted: boolean; revoked: string | null; yours: boolean }>;
}

describe('signature marks', () => {
  it('log and history mark each change verified or unsigned, in text and in --json', () => {
    const alice = user('alice@example.com');
    alice.ok(['init']);
    alice.create('Bug', { summary: 'signed' });
    alice.ok(['update', '1', '--', 'summary=unsigned'], { env: { PROPHET_SIGNING: 'off' } });
    const log = alice.ok(['log']);
    expect(log).toMatch(/^changeset 2 by alice@example.com at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \(2@[0-9a-f-]{36}\) \[unsigned\]$/m);
    expect(log).toMatch(/^changeset 1 by alice@example.com at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \(1@[0-9a-f-]{36}\) \[verified\]$/m);
    const json = alice.json<Logged[]>(['log']);
    expect(json.map((c) => [c.sequence_no, c.signature])).toEqual([[2, 'unsigned'], [1, 'verified']]);
    expect(json[1]!.signing_key).toMatch(/^[0-9a-f]{64}$/);
    expect(alice.ok(['history', '1'])).toMatch(/\(1@[0-9a-f-]{36}\) \[verified\]\n[^]*\(2@[0-9a-f-]{36}\) \[unsigned\]\n/);
    expect(alice.json<{ changesets: Logged[] }>(['history', '1']).changesets.map((c) => c.signature)).toEqual(['verified', 'unsigned']);
  });

  it('sd ticket show and ticket history mark each change', () => {
    const u = sdUserWithReplica('alice@example.com', 'signer');
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=signed ticket']));
    u.ok(['ticket', 'update', luid, '--', 'status=open'], { env: { PROPHET_SIGNING: 'off' } });
    const shown = u.ok(['ticket', 'show', luid, '--batch']);
    // Changeset 1 is the database settings `sd init` made, signed too.
    expect(shown).toMatch(/^alice@example.com at .*\t\(2@.*\) {2}\[verified\]$/m);
    expect(shown).toMatch(/^alice@example.com at .*\t\(3@.*\) {2}\[unsigned\]$/m);
    const history = JSON.parse(u.ok(['ticket', 'history', luid, '--json'])) as Array<{ signature: string }>;
    expect(history.map((h) => h.signature)).toEqual(['verified', 'unsigned']);
    expect(u.ok(['trust', 'list'])).toMatch(/^[0-9a-f]{16} {2}alice@example.com {2}not trusted, yours$/m);
  });
});

describe('trust and key commands', () => {
  it('show a key, require trust, refuse an untrusted author whole with one line, and take them once trusted', () => {
    const alice = user('alice@example.com');
    const bob = user('bob@example.com');
    alice.ok(['init']);
    alice.create('Bug', { summary: 'first' });
    const key = alice.ok(['key', 'show']);
    expect(key).toMatch(/^fingerprint: ([0-9a-f]{16}) \(\1[0-9a-f]{48}\)$/m);
    expect(key).toMatch(/^file: +.*\/home\/\.config\/prophet\/keys\/alice@example\.com\.key$/m);
    const pub = join(alice.dir, 'alice.pub');
    writeFileSync(pub, alice.ok(['key', 'show', '--public']));
    expect(alice.ok(['key', 'show', '--public'])).toMatch(/^prophet-key ed25519 [A-Za-z0-9+/]{43}= alice@example.com\n$/);

    bob.ok(['clone', '--from', alice.repo]);
    expect(bob.json<KeyList>(['trust', 'list'])).toMatchObject({ policy: 'optional', keys: [{ email: 'alice@example.com', trusted: false, revoked: null, yours: false }] });
    expect(bob.ok(['trust', 'require'])).toMatch(/Your key [0-9a-f]{16} \(bob@example.com\) is trusted\./);

    alice.create('Bug', { summary: 'second' });
    const before = bob.json<Logged[]>(['log']);
    const refused = bob.fails(['pull', '--from', alice.repo]);
    expect(oneLine(refused.stderr)).toBe(true);
    expect(refused.stderr).toMatch(/refused changeset 2@[0-9a-f-]{36} by alice@example.com: .*which this replica does not trust/);
    expect(bob.json<Logged[]>(['log'])).toEqual(before);

    expect(bob.ok(['trust', 'add', pub])).toMatch(/^Trusted key [0-9a-f]{16} of alice@example.com\.$/m);
    expect(bob.ok(['pull', '--from', alice.repo])).toMatch(/Merged 1 changeset/);
    expect(bob.json<Logged[]>(['log']).map((c) => c.signature)).toEqual(['verified', 'verified']);
    expect(bob.ok(['log', 'LATEST'])).toMatch(/\[verified, trusted key\]/);
  });

  it('rotate a key: the peer pulls it after trusting the new key by its fingerprint; revoke and remove', () => {
    const alice = user('alice@example.com');
    const bob = user('bob@example.com');
    alice.ok(['init']);
    alice.create('Bug', { summary: 'first' });
    bob.ok(['clone', '--from', alice.repo]);
    bob.ok(['trust', 'require']);
    const old = bob.json<KeyList>(['trust', 'list']).keys.find((k) => k.email === 'alice@example.com')!.fingerprint;
    bob.ok(['trust', 'add', old.slice(0, 16)]);

    expect(alice.ok(['key', 'rotate'])).toMatch(/^Your new key is ([0-9a-f]{16}) \(alice@example.com\)\.\nKey [0-9a-f]{16} is revoked as of now\./);
    expect(bob.fails(['pull', '--from', alice.repo]).stderr).toMatch(/does not trust/);
    // The usual way: look at what comes in, then trust it.
    bob.ok(['trust', 'optional']);
    bob.ok(['pull', '--from', alice.repo]);
    const keys = bob.json<KeyList>(['trust', 'list']).keys.filter((k) => k.email === 'alice@example.com');
    expect(keys.map((k) => [k.fingerprint === old, k.trusted, k.revoked !== null])).toEqual([[true, true, true], [false, false, false]]);
    const fresh = keys[1]!.fingerprint.slice(0, 16);
    bob.ok(['trust', 'add', fresh]);
    bob.ok(['trust', 'require']);
    expect(bob.ok(['trust', 'list'])).toMatch(new RegExp(`^${old.slice(0, 16)} {2}alice@example.com {2}trusted, revoked \\S+$`, 'm'));

    expect(bob.fails(['trust', 'revoke', fresh]).stderr).toMatch(/you can revoke only your own keys/);
    expect(bob.ok(['trust', 'remove', fresh])).toMatch(/is no longer trusted here/);
    expect(bob.fails(['trust', 'remove', fresh]).stderr).toMatch(/no key known here has the fingerprint/);
    expect(bob.fails(['trust', 'add']).code).toBe(2);

    const revoked = alice.json<{ fingerprint: string; new_key: string }>(['trust', 'revoke', fresh]);
    expect(revoked.fingerprint.startsWith(fresh)).toBe(true);
    expect(revoked.new_key).toMatch(/^[0-9a-f]{64}$/);
  });
});
