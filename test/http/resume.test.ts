import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { parseManifest } from '../../src/prophet/transports/manifest.js';
import { newReplica } from '../helpers/temp-replica.js';
import { cloneFrom, pull, recordsOf, withPublished } from './helpers.js';

describe('pulling from a published folder', () => {
  it('clones, re-publishes after new changes, and pulls only the new', async () => {
    const alice = newReplica();
    for (let i = 0; i < 50; i++) alice.create('Bug', { summary: `bug ${i}` });
    await withPublished(alice, async (host, dir) => {
      const bob = await cloneFrom(new HttpSource(host.url));
      expect(recordsOf(bob, 'Bug')).toEqual(recordsOf(alice, 'Bug'));
      const [some] = alice.liveRecords('Bug');
      alice.update('Bug', some!.uuid, { summary: 'changed' });
      alice.delete('Bug', alice.liveRecords('Bug')[1]!.uuid);
      publishToDirectory(alice, dir);
      const report = await pull(new HttpSource(host.url), bob);
      expect(report.changesets.integrated).toBe(2);
      expect(recordsOf(bob, 'Bug')).toEqual(recordsOf(alice, 'Bug'));
      const noop = new HttpSource(host.url);
      await pull(noop, bob);
      expect(noop.client.requests).toBe(1);
    });
  });

  it('refuses a corrupted pack and leaves the replica unchanged', async () => {
    const alice = newReplica();
    alice.create('Bug', { summary: 'one' });
    await withPublished(alice, async (host, dir) => {
      const bob = await cloneFrom(new HttpSource(host.url));
      alice.create('Bug', { summary: 'two' });
      publishToDirectory(alice, dir);
      const manifest = parseManifest(readFileSync(join(dir, 'replica.json'), 'utf8'), dir);
      const pack = join(dir, 'packs', `${manifest.replica.packs[0]!.hash}.pack`);
      writeFileSync(pack, readFileSync(pack).subarray(0, 40));
      const before = bob.latestSequenceNo();
      await expect(pull(new HttpSource(host.url), bob)).rejects.toThrow(/does not match its name/);
      expect(bob.latestSequenceNo()).toBe(before);
      expect(Object.values(recordsOf(bob, 'Bug')).map((p) => p.summary)).toEqual(['one']);
    });
  });

  it('a host dying mid-pull: the next pull completes and nothing is duplicated', async () => {
    const alice = newReplica();
    for (let i = 0; i < 4500; i++) alice.create('Bug', { summary: `bug ${i}` });
    await withPublished(alice, async (host) => {
      const carol = newReplica({ databaseUuid: alice.databaseUuid, resdbDatabaseUuid: alice.resdb.databaseUuid, withoutSettings: true });
      host.dieAfter(2);
      await expect(pull(new HttpSource(host.url, { attempts: 2, backoffMs: 1 }), carol, { batchSize: 500 })).rejects.toThrow(/failed after 2 attempts/);
      const partial = carol.latestSequenceNo();
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(alice.latestSequenceNo());

      host.dieAfter(Infinity);
      await pull(new HttpSource(host.url), carol);
      expect(carol.latestSequenceNo()).toBe(alice.latestSequenceNo());
      expect(recordsOf(carol, 'Bug')).toEqual(recordsOf(alice, 'Bug'));
      const ids = [...carol.rawChangesets(1)].map((r) => `${r.origin_seq}@${r.origin_uuid}`);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});
