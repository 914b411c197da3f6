/**
 * Key rotation and revocation: what the old key signed before stays
 * verified, what it signs after is not; only a key's owner can revoke it;
 * peers that trusted the old key must trust the new one.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/prophet/replica/key-ring.js';
import { KEY_TYPE, keyRecordUuid } from '../../src/prophet/replica/key-record.js';
import { listKeys, ownKey, readPublicKeyFile, revokeKey, rotateKey, trustKey } from '../../src/prophet/replica/key-management.js';
import { keyFile } from '../../src/prophet/replica/keys.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import { trustedKeys } from '../../src/prophet/replica/trust-list.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { cloneOf, emptyCloneOf, peer, pull } from '../sync/helpers.js';
import { footprint, publicKeyFileOf, requireTrust, statuses } from './helpers.js';

const pause = () => new Promise((ok) => setTimeout(ok, 5));

describe('key rotation', () => {
  it('makes a new key, revokes the old one as of now in one changeset the new key signs; what the old key signed stays verified', async () => {
    const alice = peer('alice');
    const { uuid } = alice.create('Bug', { summary: 'before' });
    const old = ownKey(alice, { create: false })!;
    await pause();
    const { retired, key, changeset } = rotateKey(alice);
    expect(retired!.fingerprint).toBe(old.fingerprint);
    expect(key.fingerprint).not.toBe(old.fingerprint);
    expect(Object.keys(changeset!.changes).sort()).toEqual([keyRecordUuid(old.fingerprint), keyRecordUuid(key.fingerprint)].sort());
    alice.update('Bug', uuid, { summary: 'after' });
    expect(statuses(alice).main).toEqual(['verified', 'verified', 'verified']);
    const ring = new KeyRing(alice);
    expect(ring.key(old.fingerprint)!.revoked).toBe(key.created);
    expect(ring.key(key.fingerprint)!.revoked).toBeUndefined();
    expect(listKeys(alice).map((k) => [k.fingerprint, k.revoked !== null, k.yours])).toEqual([
      [old.fingerprint, true, false],
      [key.fingerprint, false, true],
    ]);
  });

  it('is refused by a peer that trusted only the old key, until it trusts the new one', async () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'one' });
    const bob = await cloneOf(alice, 'bob');
    requireTrust(bob, alice);
    await pause();
    const { key } = rotateKey(alice);
    const before = footprint(bob);
    await expect(pull(bob, alice)).rejects.toThrow(/by alice@example.com: .*signed by key [0-9a-f]{16}, which this replica does not trust/);
    expect(footprint(bob)).toEqual(before);

    const file = publicKeyFileOf(alice);
    expect(readPublicKeyFile(file).fingerprint).toBe(key.fingerprint);
    trustKey(bob, file);
    await pull(bob, alice);
    expect(statuses(bob).main).toEqual(['verified', 'verified']);
    expect(trustedKeys(bob).map((k) => k.fingerprint).sort()).toHaveLength(2);
  });

  it('a copy of the revoked key that signs on after the revocation is marked, and refused under trust require', async () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'one' });
    // Alice's laptop holds the same key and has not heard of the rotation.
    const laptopEnv = testEnv('alice@example.com');
    mkdirSync(join(keyFile(laptopEnv, 'alice@example.com'), '..'), { recursive: true });
    copyFileSync(ownKey(alice, { create: false })!.file, keyFile(laptopEnv, 'alice@example.com'));
    const laptop = Replica.init(join(tempDir(), 'laptop'), { env: laptopEnv, databaseUuid: alice.databaseUuid, resdbDatabaseUuid: alice.resdb.databaseUuid, withoutSettings: true });
    await pull(laptop, alice);
    laptop.create('Bug', { summary: 'before the rotation' });
    await pause();
    rotateKey(alice);
    await pause();
    laptop.create('Bug', { summary: 'after the rotation' });

    const bob = emptyCloneOf(alice, 'bob');
    await pull(bob, alice);
    await pull(bob, laptop);
    expect(statuses(bob).main).toEqual(['verified', 'verified', 'verified', 'revoked-key']);

    const carol = emptyCloneOf(alice, 'carol');
    requireTrust(carol, alice, laptop);
    trustKey(carol, publicKeyFileOf(alice));
    await pull(carol, alice);
    await expect(pull(carol, laptop)).rejects.toThrow(/which its owner revoked at .*, and made after that/);
  });
});

describe('revocation', () => {
  it('counts only from the key owner: a revocation written by someone else is ignored', async () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'one' });
    const fingerprint = ownKey(alice, { create: false })!.fingerprint;
    const bob = await cloneOf(alice, 'bob');
    expect(() => revokeKey(bob, fingerprint.slice(0, 16))).toThrow(/is alice@example.com's, not yours \(bob@example.com\): you can revoke only your own keys/);
    // Bob writes the revocation by hand anyway.
    bob.edit((e) => e.update(KEY_TYPE, keyRecordUuid(fingerprint), { revoked: '2000-01-01T00:00:00.000Z' }, { raw: true }));
    await pull(alice, bob);
    alice.create('Bug', { summary: 'two' });
    await pull(bob, alice);
    expect(new KeyRing(bob).key(fingerprint)!.revoked).toBeUndefined();
    expect(statuses(bob).main.every((s) => s === 'verified')).toBe(true);
  });

  it('a key counts as announced only by itself: a record naming alice\'s key under another email is ignored', async () => {
    const base = peer('base');
    base.create('Bug', { summary: 'start' });
    const [alice, mallory, bob] = await Promise.all(['alice', 'mallory', 'bob'].map((n) => cloneOf(base, n)));
    alice!.create('Bug', { summary: "alice's" });
    const key = ownKey(alice!, { create: false })!;
    // Mallory announces alice's public key as hers, in a changeset she signs with her own key.
    mallory!.edit((e) => e.create(KEY_TYPE, { email: 'mallory@example.com', public_key: key.publicKey, fingerprint: key.fingerprint, created: key.created }, { uuid: keyRecordUuid(key.fingerprint), raw: true }));
    await pull(bob!, mallory!);
    await pull(bob!, alice!, { prefer: 'target' });
    expect(new KeyRing(bob!).key(key.fingerprint)!.email).toBe('alice@example.com');
    expect(statuses(bob!).main.filter((s) => s !== 'verified')).toEqual([]);
  });

  it('revokes an older key of one\'s own by its fingerprint, once; revoking the key in use rotates it', async () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'one' });
    const first = ownKey(alice, { create: false })!.fingerprint;
    await pause();
    rotateKey(alice);
    expect(() => revokeKey(alice, first.slice(0, 12))).toThrow(/was revoked already/);
    const second = ownKey(alice, { create: false })!.fingerprint;
    await pause();
    const { rotated } = revokeKey(alice, second);
    expect(rotated!.fingerprint).not.toBe(second);
    const ring = new KeyRing(alice);
    expect([first, second, rotated!.fingerprint].map((fp) => ring.key(fp)!.revoked !== undefined)).toEqual([true, true, false]);
    expect(() => revokeKey(alice, 'abcd')).toThrow(/is not a key fingerprint/);
    expect(() => revokeKey(alice, 'abcdef0123')).toThrow(/no key known here has the fingerprint/);
  });

  it('refuses to rotate with signing off: an unsigned revocation would count for nothing', () => {
    const alice = Replica.init(join(tempDir(), 'r'), { env: { ...testEnv(), PROPHET_SIGNING: 'off' } });
    expect(() => rotateKey(alice)).toThrow(/signing is off/);
  });
});
