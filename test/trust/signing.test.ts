import Database from 'better-sqlite3';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/prophet/model/hash.js';
import { KeyRing } from '../../src/prophet/replica/key-ring.js';
import { KEY_TYPE, keyRecordUuid } from '../../src/prophet/replica/key-record.js';
import { keyFile } from '../../src/prophet/replica/keys.js';
import { DB_FILE, Replica } from '../../src/prophet/replica/replica.js';
import { undo } from '../../src/prophet/replica/undo.js';
import { votesFor, resolutionType } from '../../src/prophet/sync/resolution-db.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { withPropsTable } from '../helpers/old-schema.js';
import { cloneOf, peer, pull } from '../sync/helpers.js';
import { expectAllVerified, expectSameSignatures, statuses } from './helpers.js';

describe('signing', () => {
  it('signs every change over its exact bytes, made with a key made on first need, kept 0600 outside the replica', () => {
    const alice = peer('alice');
    const { uuid } = alice.create('Bug', { summary: 'signed' });
    const cs = alice.changeset(1)!;
    const row = alice.rawChangeset(1)!;
    // The signature is beside the content: the id and the hash are those of the bytes alone.
    expect(row.hash).toBe(sha256Hex(row.body));
    expect(row.body).not.toContain('ed25519');
    expect(cs.signature).toBe(row.signature);
    expect(cs.signature).toMatch(/^ed25519:/);

    const key = alice.userKeys.current('alice@example.com')!;
    expect(key.file).toMatch(/\/\.config\/prophet\/keys\/alice@example\.com\.key$/);
    expect(key.file.startsWith(alice.root)).toBe(false);
    expect(statSync(key.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(key.file, '..')).mode & 0o777).toBe(0o700);
    // The key announces itself in the first changeset it signs, and only there.
    const record = alice.findRecord(keyRecordUuid(key.fingerprint))!;
    expect(record).toMatchObject({ type: KEY_TYPE, live: true, props: { email: 'alice@example.com', public_key: key.publicKey, fingerprint: key.fingerprint, created: key.created } });
    expect(Object.keys(cs.changes).sort()).toEqual([record.uuid, uuid].sort());
    alice.update('Bug', uuid, { summary: 'again' });
    expect(Object.keys(alice.changeset(2)!.changes)).toEqual([uuid]);
    expect(new KeyRing(alice).checkStored(alice.changeset(2)!)).toMatchObject({ status: 'verified', fingerprint: key.fingerprint, signer: 'alice@example.com', trusted: false });
  });

  it('signs nothing with PROPHET_SIGNING=off or user.signing = false, and makes no key', () => {
    const off = Replica.init(join(tempDir(), 'r'), { env: { ...testEnv(), PROPHET_SIGNING: 'off' } });
    off.create('Bug', { summary: 'plain' });
    expect(off.changeset(1)!.signature).toBeUndefined();
    expect(off.types()).toEqual(['Bug']);
    expect(statuses(off).main).toEqual(['unsigned']);

    const env = testEnv();
    const configured = Replica.init(join(tempDir(), 'r'), { env });
    configured.config.set('user.signing', 'false');
    configured.create('Bug', { summary: 'plain too' });
    expect(configured.changeset(1)!.signature).toBeUndefined();
    expect(() => statSync(keyFile(env, 'alice@example.com'))).toThrow();
  });

  it('signs conflict resolutions and the votes in the resolution database, and carries signatures unchanged', async () => {
    const alice = peer('alice');
    const { uuid } = alice.create('Bug', { status: 'new' });
    const bob = await cloneOf(alice, 'bob');
    bob.update('Bug', uuid, { status: 'stalled' });
    alice.update('Bug', uuid, { status: 'open' });
    const report = await pull(bob, alice, { prefer: 'target' });
    expect(report.conflicts.some((c) => c.resolution)).toBe(true);
    const resolution = [...bob.changesets()].find((cs) => cs.is_resolution)!;
    expect(resolution).toMatchObject({ creator: 'bob@example.com', signature: expect.stringMatching(/^ed25519:/) });
    const fingerprint = resolution.changes[uuid]!.resolves!;
    expect(votesFor(bob.resdb, fingerprint)).toHaveLength(1);
    expect(bob.resdb.liveRecords(resolutionType(fingerprint))).toHaveLength(1);
    expectAllVerified(bob);

    // Alice learns bob's key, resolution and vote by pulling: all verified, the bytes and signatures as bob made them.
    await pull(alice, bob);
    expectAllVerified(alice);
    expectSameSignatures(bob, alice);
    expectSameSignatures(bob.resdb, alice.resdb);
  });

  it('keeps the key when the change that announced it is undone', () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'oops' });
    undo(alice, 1);
    const key = alice.userKeys.current('alice@example.com')!;
    expect(alice.findRecord(keyRecordUuid(key.fingerprint))!.live).toBe(true);
    expect(alice.liveRecords('Bug')).toEqual([]);
  });

  it('refuses to sign with a damaged key file rather than signing nothing', () => {
    const env = testEnv();
    const alice = Replica.init(join(tempDir(), 'r'), { env });
    alice.create('Bug', { summary: 'one' });
    writeFileSync(keyFile(env, 'alice@example.com'), '{"format":"prophet-signing-key","email":"alice@example.com","created":"x","private_key":"AAAA"}');
    expect(() => alice.create('Bug', { summary: 'two' })).toThrow(/damaged signing key/);
    expect(alice.latestSequenceNo()).toBe(1);
  });

  it('opens a replica made before signatures: its changesets read as unsigned and it signs from then on', () => {
    const env = testEnv();
    const root = join(tempDir(), 'old');
    const old = Replica.init(root, { env: { ...env, PROPHET_SIGNING: 'off' } });
    old.create('Bug', { summary: 'from the old days' });
    old.close();
    // Back to schema 1: no signatures kept anywhere.
    const db = new Database(join(root, DB_FILE));
    for (const p of ['main_', 'res_']) db.exec(`DROP TABLE ${p}signatures; DROP TABLE ${p}signing_keys`);
    withPropsTable(db);
    db.pragma('user_version = 1');
    db.close();

    const reopened = Replica.open(root, { env });
    expect(reopened.rawChangeset(1)!.signature).toBeNull();
    reopened.create('Bug', { summary: 'new' });
    expect(statuses(reopened).main).toEqual(['unsigned', 'verified']);
  });

  it('moves signatures kept in the changesets table (schema 2) beside it, still verified', () => {
    const root = join(tempDir(), 'signed');
    const replica = Replica.init(root, { env: testEnv() });
    replica.create('Bug', { summary: 'one' });
    replica.create('Bug', { summary: 'two' });
    const before = [1, 2, 3].map((seq) => replica.rawChangeset(seq)?.signature);
    replica.close();
    // Back to schema 2: each signature in a column of its changeset's row.
    const db = new Database(join(root, DB_FILE));
    for (const p of ['main_', 'res_']) {
      db.exec(`ALTER TABLE ${p}changesets ADD COLUMN signature TEXT;
        UPDATE ${p}changesets SET signature = (SELECT k.key || s.signature FROM ${p}signatures s JOIN ${p}signing_keys k ON k.id = s.key_id WHERE s.seq = ${p}changesets.seq);
        DROP TABLE ${p}signatures; DROP TABLE ${p}signing_keys`);
    }
    withPropsTable(db);
    db.pragma('user_version = 2');
    db.close();

    const reopened = Replica.open(root, { env: testEnv() });
    expect([1, 2, 3].map((seq) => reopened.rawChangeset(seq)?.signature)).toEqual(before);
    expect(before.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(statuses(reopened).main.every((s) => s === 'verified')).toBe(true);
  });
});
