/**
 * What `trust require` refuses, each whole, leaving the replica exactly as
 * it was: an unsigned changeset, a tampered signature, a changeset
 * re-attributed to another author, a key the replica does not trust. With
 * `trust optional` the same changesets get in, marked for what they are.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changesetId, parseChangesetContent, serializeChangeset } from '../../src/prophet/model/changeset.js';
import { sha256Hex } from '../../src/prophet/model/hash.js';
import { ownKey } from '../../src/prophet/replica/key-management.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import { setTrustPolicy } from '../../src/prophet/replica/trust-list.js';
import { merge } from '../../src/prophet/sync/merge.js';
import type { ChangesetEntry } from '../../src/prophet/sync/source.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { MemorySource } from '../../src/prophet/transports/memory-source.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { cloneOf, pull, state } from '../sync/helpers.js';
import { peer } from '../sync/helpers.js';
import { footprint, requireTrust, statuses } from './helpers.js';

/** A replica's log as a peer would send it, with `rewrite` applied to its last changeset: what a hostile relay hands over. */
async function logWithLast(replica: Replica, rewrite: (entry: ChangesetEntry) => ChangesetEntry): Promise<MemorySource> {
  const entries: ChangesetEntry[] = [];
  for await (const batch of LocalReplicaSource.of(replica).changesets(0)) entries.push(...batch);
  entries.push(rewrite(entries.pop()!));
  const id = { uuid: replica.uuid, databaseUuid: replica.databaseUuid, latestSequenceNo: replica.latestSequenceNo() };
  const resolutions = new MemorySource('resolutions', { uuid: replica.resdb.uuid, databaseUuid: replica.resdb.databaseUuid, latestSequenceNo: 0 }, []);
  return new MemorySource(`${replica.root} (as relayed)`, id, entries, resolutions);
}

/** Bob, who already holds alice's first changes, requires trust in alice's and mallory's keys. */
async function setting() {
  const alice = peer('alice');
  const { uuid } = alice.create('Bug', { summary: 'shared', status: 'new' });
  const bob = await cloneOf(alice, 'bob');
  const mallory = await cloneOf(alice, 'mallory');
  mallory.create('Bug', { summary: 'mallory was here' });
  alice.update('Bug', uuid, { status: 'open' });
  requireTrust(bob, alice, mallory);
  return { alice, bob, mallory, uuid };
}

/** Merges `source` into `bob` and expects a refusal naming the author and the changeset, with bob untouched. */
async function expectRefused(bob: Replica, source: MemorySource | LocalReplicaSource, author: string, id: string, why: RegExp): Promise<void> {
  const before = footprint(bob);
  const records = state(bob);
  const refusal = merge(source, bob).catch((err: Error & { code?: string }) => err);
  const err = await refusal;
  expect(err).toBeInstanceOf(Error);
  expect((err as { code?: string }).code).toBe('untrusted');
  expect((err as Error).message).toContain(`refused changeset ${id} by ${author}`);
  expect((err as Error).message).toMatch(why);
  expect((err as Error).message.split('\n')).toHaveLength(1);
  expect(footprint(bob)).toEqual(before);
  expect(state(bob)).toEqual(records);
}

const lastId = (r: Replica) => changesetId(r.uuid, r.latestSequenceNo());

describe('trust require refuses, whole', () => {
  it('an unsigned changeset', async () => {
    const { alice, bob, uuid } = await setting();
    const unsigned = Replica.open(alice.root, { env: { ...testEnv(), PROPHET_SIGNING: 'off', PROPHET_EMAIL: 'alice@example.com' } });
    unsigned.update('Bug', uuid, { summary: 'no signature' });
    await expectRefused(bob, LocalReplicaSource.of(alice), 'alice@example.com', lastId(alice), /it is unsigned/);
    // The earlier, signed changeset of the same pull was rolled back with it.
    expect(bob.get(uuid).props.status).toBe('new');
  });

  it('a tampered signature', async () => {
    const { alice, bob } = await setting();
    const other = alice.rawChangeset(1)!.signature!;
    const source = await logWithLast(alice, (e) => ({ ...e, signature: other }));
    await expectRefused(bob, source, 'alice@example.com', lastId(alice), /signature does not match its content/);
  });

  it('a changeset re-attributed to another author, even signed by a trusted key', async () => {
    const { bob, mallory } = await setting();
    // Mallory rewrites her own changeset as alice's: a new hash, so she signs it again, with her own key.
    const key = ownKey(mallory, { create: false })!;
    const source = await logWithLast(mallory, (e) => {
      const content = parseChangesetContent(JSON.parse(e.body), 'test');
      const body = serializeChangeset({ ...content, creator: 'alice@example.com' });
      return { ...e, body, hash: sha256Hex(body), signature: key.sign(body) };
    });
    await expectRefused(bob, source, 'alice@example.com', lastId(mallory), /signed by mallory@example.com's key [0-9a-f]{16}, not by its author's/);
  });

  it('a changeset signed by a key the replica does not trust, until it is trusted', async () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'one' });
    const bob = await cloneOf(alice, 'bob');
    const carol = await cloneOf(alice, 'carol');
    carol.create('Bug', { summary: "carol's" });
    requireTrust(bob, alice);
    await expectRefused(bob, LocalReplicaSource.of(carol), 'carol@example.com', lastId(carol), /signed by key [0-9a-f]{16}, which this replica does not trust.*'trust add [0-9a-f]{16}'/);
    requireTrust(bob, carol);
    expect((await pull(bob, carol)).changesets.integrated).toBe(1);
  });

  it('in a dry run too, and refuses nothing once the replica is back to trust optional', async () => {
    const { alice, bob } = await setting();
    const source = await logWithLast(alice, (e) => ({ ...e, signature: alice.rawChangeset(1)!.signature! }));
    await expect(merge(source, bob, { dryRun: true })).rejects.toThrow(/signature does not match/);
    setTrustPolicy(bob, 'optional');
    const report = await merge(source, bob);
    expect(report.changesets.integrated).toBe(1);
    expect(statuses(bob).main.at(-1)).toBe('bad-signature');
  });
});

describe('trust optional takes them, marked', () => {
  it('unsigned, re-attributed and unknown-key changesets all merge, each shown for what it is', async () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'one' });
    const bob = await cloneOf(alice, 'bob');
    const mallory = await cloneOf(alice, 'mallory');
    mallory.create('Bug', { summary: 'mine' });
    const key = ownKey(mallory, { create: false })!;
    const source = await logWithLast(mallory, (e) => {
      const content = parseChangesetContent(JSON.parse(e.body), 'test');
      const body = serializeChangeset({ ...content, creator: 'alice@example.com' });
      return { ...e, body, hash: sha256Hex(body), signature: key.sign(body) };
    });
    await merge(source, bob);
    // Mallory's key was announced in the rewritten changeset itself: bob knows whose key it is.
    expect(statuses(bob).main).toEqual(['verified', 'wrong-signer']);

    const old = Replica.init(join(tempDir(), 'old'), { env: { ...testEnv('dan@example.com'), PROPHET_SIGNING: 'off' }, databaseUuid: alice.databaseUuid, resdbDatabaseUuid: alice.resdb.databaseUuid, withoutSettings: true });
    old.create('Bug', { summary: 'from an old replica' });
    await pull(bob, old);
    expect(statuses(bob).main).toEqual(['verified', 'wrong-signer', 'unsigned']);
  });
});
