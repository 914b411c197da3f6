import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LivePublication } from '../../src/prophet/server/live-publication.js';
import type { Manifest } from '../../src/prophet/transports/manifest.js';
import { decodePack } from '../../src/prophet/transports/pack.js';
import { newReplica } from '../helpers/temp-replica.js';

const MIB = 1024 * 1024;

describe("a live server's packs", () => {
  it('are cut again from the log when asked for, so memory holds a few, not the whole log', () => {
    const replica = newReplica();
    // Incompressible enough that the packs outweigh the cache.
    for (let i = 0; i < 18; i++) replica.create('Bug', { summary: `big ${i}`, notes: randomBytes(MIB * 0.75).toString('base64') });
    const cacheBytes = 4 * MIB;
    const publication = new LivePublication(replica, { cacheBytes });
    const manifest = JSON.parse(publication.manifestBody()) as Manifest;
    const packs = manifest.replica.packs;
    expect(packs.length).toBeGreaterThanOrEqual(3);
    expect(packs.reduce((sum, p) => sum + p.bytes, 0)).toBeGreaterThan(2 * cacheBytes);

    let changesets = 0;
    for (const ref of packs) {
      changesets += decodePack(publication.pack(ref.hash)!, ref, replica.uuid, 'test').length;
      expect(publication.heldBytes).toBeLessThanOrEqual(cacheBytes);
    }
    expect(changesets).toBe(replica.latestSequenceNo());
  });

  it("still serves the previous manifest's packs after the log grew, and no others", () => {
    const replica = newReplica();
    replica.create('Bug', { summary: 'first' });
    const publication = new LivePublication(replica, { cacheBytes: 1 });
    const before = (JSON.parse(publication.manifestBody()) as Manifest).replica.packs.at(-1)!;
    replica.create('Bug', { summary: 'second' });
    const after = (JSON.parse(publication.manifestBody()) as Manifest).replica.packs.at(-1)!;

    expect(after.hash).not.toBe(before.hash);
    expect(decodePack(publication.pack(before.hash)!, before, replica.uuid, 'test')).toHaveLength(before.count);
    expect(decodePack(publication.pack(after.hash)!, after, replica.uuid, 'test')).toHaveLength(after.count);
    expect(publication.pack('0'.repeat(64))).toBeUndefined();
  });
});
