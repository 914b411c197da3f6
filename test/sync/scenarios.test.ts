import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { merge } from '../../src/prophet/sync/merge.js';
import { pullAll } from '../../src/prophet/replication/all-replicas.js';
import { clone, conflicts, pull as pullUrl, push } from '../../src/prophet/replication/operations.js';
import type { ChangesetSource } from '../../src/prophet/sync/source.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { cloneOf, emptyCloneOf, peer, pull, state } from './helpers.js';

describe('sync scenarios (reference 6.1)', () => {
  it('non-conflicting merge of two databases needs --force; repeats add nothing; own changes do not echo', async () => {
    const a = peer('alice');
    const b = peer('bob');
    a.create('Bug', { summary: 'from alice' });
    b.create('Bug', { summary: 'from bob' });
    await expect(pull(b, a)).rejects.toThrow(new RegExp(`different database.*${a.databaseUuid}.*${b.databaseUuid}.*--force`));
    expect(Object.keys(state(b))).toHaveLength(1);
    expect((await pull(b, a, { force: true })).changesets.integrated).toBe(1);
    expect((await pull(b, a, { force: true })).changesets.integrated).toBe(0);
    const r = await pull(a, b, { force: true });
    expect(r.changesets.integrated).toBe(1);
    expect((await pull(a, b, { force: true })).changesets.integrated).toBe(0);
    expect(state(a)).toEqual(state(b));
    expect(Object.keys(state(a))).toHaveLength(2);
  });

  it('refuses to merge a replica into itself', async () => {
    const a = peer('alice');
    await expect(pull(a, a)).rejects.toThrow(/into itself/);
  });

  it('a change returning to its source is not applied again (sync-change-to-original-source)', async () => {
    const a = peer('alice');
    a.create('Bug', { summary: 'x' });
    const b = await cloneOf(a, 'bob');
    const seq = a.latestSequenceNo();
    const r = await pull(a, b);
    expect(r.changesets).toMatchObject({ integrated: 0, skipped: 1 });
    expect(a.latestSequenceNo()).toBe(seq);
  });

  it('three-party: changes travel transitively and are applied once (sync_3party)', async () => {
    const a = peer('alice');
    const x = a.create('Bug', { summary: 'x' }).uuid;
    const b = await cloneOf(a, 'bob');
    const c = await cloneOf(b, 'carol');
    c.update('Bug', x, { status: 'open' });
    await pull(b, c);
    await pull(a, b);
    // Carol's change reached Alice via Bob; pulling from Carol directly skips it.
    const r = await pull(a, c);
    expect(r.changesets.integrated).toBe(0);
    expect(a.get(x).props.status).toBe('open');
    for (const r of [a, b, c]) expect(state(r)).toEqual(state(a));
  });

  it('delete against delete leaves the record absent everywhere, with no conflict', async () => {
    const a = peer('alice');
    const x = a.create('Bug', { summary: 'x' }).uuid;
    const b = await cloneOf(a, 'bob');
    a.delete('Bug', x);
    b.delete('Bug', x);
    const r = await pull(b, a);
    expect(r.conflicts).toEqual([]);
    await pull(a, b);
    expect(state(a)).toEqual({});
    expect(state(b)).toEqual({});
  });

  it('update against delete: the update brings the record back whole on both sides, by the rule', async () => {
    const a = peer('alice');
    const x = a.create('Bug', { summary: 'x', status: 'new' }).uuid;
    const b = await cloneOf(a, 'bob');
    a.delete('Bug', x);
    b.update('Bug', x, { status: 'open' });
    const r = await pull(a, b);
    expect(r.conflicts).toMatchObject([{ name: '', how: 'rule', chosen: '1' }]);
    const r2 = await pull(b, a);
    expect(r2.conflicts).toMatchObject([{ name: '', how: 'rule', chosen: '1' }]);
    expect(state(a)[x]?.props).toEqual({ summary: 'x', status: 'open', creator: 'alice@example.com', original_replica: a.uuid });
    expect(state(a)).toEqual(state(b));
    // Deleting again, having seen both, removes it everywhere.
    a.delete('Bug', x);
    await pull(b, a);
    expect(state(b)).toEqual({});
  });

  it('records created with the same uuid on both sides conflict per property (create-conflict)', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    const uuid = '11111111-2222-4333-8444-555555555555';
    a.edit((e) => e.create('Setting', { label: 'colour', content: 'red' }, { uuid, raw: true }));
    b.edit((e) => e.create('Setting', { label: 'colour', content: 'blue' }, { uuid, raw: true }));
    const r = await pull(b, a, { prefer: 'source' });
    expect(r.conflicts.map((c) => [c.name, c.how, c.chosen]).sort()).toEqual([
      ['content', 'prefer', 'red'],
      ['label', 'identical', 'colour'],
    ]);
    await pull(a, b);
    expect(a.get(uuid).props).toEqual({ label: 'colour', content: 'red' });
    expect(state(a)).toEqual(state(b));
  });

  it('resolutions pass through a third party (res-conflict-3), multi-property', async () => {
    const a = peer('alice');
    const x = a.create('Bug', { status: 'new', owner: 'nobody' }).uuid;
    const b = await cloneOf(a, 'bob');
    const c = await cloneOf(a, 'carol');
    a.update('Bug', x, { status: 'open', owner: 'alice' });
    b.update('Bug', x, { status: 'stalled', owner: 'bob' });
    await pull(b, a, { prefer: 'target' });
    expect(b.get(x).props).toMatchObject({ status: 'stalled', owner: 'bob' });
    // Carol holds Alice's change as well; when Bob's side reaches her, Bob's decision travels with it.
    await pull(c, a);
    const r = await pull(c, b);
    expect(r.conflicts.map((c) => [c.name, c.how, c.chosen, c.decidedBy])).toEqual([
      ['owner', 'peer', 'bob', ['bob@example.com']],
      ['status', 'peer', 'stalled', ['bob@example.com']],
    ]);
    await pull(a, c);
    for (const r of [a, b, c]) expect(r.get(x).props).toMatchObject({ status: 'stalled', owner: 'bob' });
    expect(state(a)).toEqual(state(b));
    expect(state(c)).toEqual(state(b));
  });

  it('crossed resolutions settle: both decide, then the vote and its fixed tie-break agree', async () => {
    const a = peer('alice');
    const x = a.create('Bug', { status: 'new' }).uuid;
    const b = await cloneOf(a, 'bob');
    a.update('Bug', x, { status: 'open' });
    b.update('Bug', x, { status: 'stalled' });
    const c = await cloneOf(a, 'carol');
    await pull(c, b, { prefer: 'target' }); // carol keeps open
    await pull(b, a, { prefer: 'target' }); // bob keeps stalled
    for (let round = 0; round < 3; round++) {
      for (const [t, s] of [[a, b], [a, c], [b, a], [b, c], [c, a], [c, b]] as const) await pull(t, s, { prefer: 'target' });
    }
    const seqs = [a, b, c].map((r) => r.latestSequenceNo());
    for (const [t, s] of [[a, b], [a, c], [b, a], [b, c], [c, a], [c, b]] as const) await pull(t, s, { prefer: 'target' });
    expect([a, b, c].map((r) => r.latestSequenceNo())).toEqual(seqs);
    expect(state(a)).toEqual(state(b));
    expect(state(c)).toEqual(state(b));
    expect(a.conflictedProperties(x)).toEqual([]);
  });
});

describe('operations', () => {
  it('clone copies the database identity and records; refuses an existing replica', async () => {
    const a = peer('alice');
    a.create('Bug', { summary: 'x' });
    const to = join(tempDir(), 'clone');
    const { replica, report } = await clone(a.root, to, { env: testEnv('bob@example.com') });
    expect(report.changesets.integrated).toBe(1);
    expect(replica.databaseUuid).toBe(a.databaseUuid);
    expect(replica.resdb.databaseUuid).toBe(a.resdb.databaseUuid);
    expect(replica.uuid).not.toBe(a.uuid);
    expect(state(replica)).toEqual(state(a));
    expect(replica.config.get(`replica.${a.root}.uuid`)).toBe(a.uuid);
    await expect(clone(a.root, to, { env: testEnv() })).rejects.toThrow(/already exists/);
  });

  it('push to a native replica works', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    const x = a.create('Bug', { summary: 'pushed' }).uuid;
    const report = await push(a, `file://${b.root}`, { env: testEnv() });
    expect(report.changesets.integrated).toBe(1);
    expect(b.get(x).props.summary).toBe('pushed');
  });

  it('pull by name (pull-url over url), records the source after a pull by URL, and pull --all', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    const c = await cloneOf(a, 'carol');
    const target = emptyCloneOf(a, 'dave');
    a.create('Bug', { summary: 'a' });
    b.create('Bug', { summary: 'b' });
    c.create('Bug', { summary: 'c' });
    target.config.set('replica.upstream.url', '/nonexistent');
    target.config.set('replica.upstream.pull-url', a.root);
    await pullUrl(target, 'upstream', { env: testEnv() });
    expect(Object.keys(state(target))).toHaveLength(1);
    await pullUrl(target, b.root, { env: testEnv() });
    expect(target.config.get(`replica.${b.root}.uuid`)).toBe(b.uuid);
    target.config.set('replica.carol.url', c.root);
    const reports = await pullAll(target, { env: testEnv() });
    expect(reports.map((r) => r.changesets.integrated).sort()).toEqual([0, 0, 1]);
    expect(state(target)).toEqual({ ...state(a), ...state(b), ...state(c) });
  });

  it('dry run lists what would be merged and writes nothing', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    a.create('Bug', { summary: 'one' });
    a.create('Bug', { summary: 'two' });
    const before = { seq: b.latestSequenceNo(), tickets: b.mergeTickets(), config: existsSync(join(b.root, 'config')) };
    const report = await pullUrl(b, a.root, { dryRun: true, env: testEnv() });
    expect(report.changesets.wouldMerge.map((c) => c.creator)).toEqual(['alice@example.com', 'alice@example.com']);
    expect(b.latestSequenceNo()).toBe(before.seq);
    expect(b.mergeTickets()).toEqual(before.tickets);
    expect(existsSync(join(b.root, 'config'))).toBe(before.config);
  });

  it('a no-op pull reads only the identities', async () => {
    const a = peer('alice');
    for (let i = 0; i < 20; i++) a.create('Bug', { summary: String(i) });
    const b = await cloneOf(a, 'bob');
    let reads = 0;
    const counting = (s: ChangesetSource): ChangesetSource => ({
      description: s.description,
      identity: () => s.identity(),
      resolutions: () => {
        const r = s.resolutions();
        return r && counting(r);
      },
      changesets: (after) => {
        reads++;
        return s.changesets(after);
      },
    });
    await merge(counting(LocalReplicaSource.of(a)), b);
    expect(reads).toBe(0);
  });

  it('refuses bad data from a peer before writing anything', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    a.create('Bug', { summary: 'good' });
    a.create('Bug', { summary: 'tampered' });
    const real = LocalReplicaSource.of(a);
    const tampering: ChangesetSource = {
      description: 'tampering',
      identity: () => real.identity(),
      resolutions: () => undefined,
      async *changesets(after) {
        for await (const batch of real.changesets(after)) yield batch.map((e) => ({ ...e, body: e.body.replace('tampered', 'evil') }));
      },
    };
    const seq = b.latestSequenceNo();
    await expect(merge(tampering, b)).rejects.toThrow(/tampering.*hash/);
    expect(b.latestSequenceNo()).toBe(seq);
  });

  it('lists the conflicts merges settled', async () => {
    const a = peer('alice');
    const x = a.create('Bug', { status: 'new' }).uuid;
    const b = await cloneOf(a, 'bob');
    a.update('Bug', x, { status: 'open' });
    b.update('Bug', x, { status: 'stalled' });
    await pull(b, a, { prefer: 'source' });
    expect(conflicts(b)).toMatchObject([{ record_uuid: x, name: 'status', candidates: ['open', 'stalled'], chosen: 'open', how: 'prefer' }]);
    expect(Replica.exists(b.root)).toBe(true);
  });
});
