import { describe, expect, it } from 'vitest';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { merge, type MergeProgress } from '../../src/prophet/sync/merge.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { PACK_MAX_BYTES } from '../../src/prophet/transports/pack.js';
import { emptyCloneOf, peer, state } from './helpers.js';

/** `count` changesets of one record each holding about `bytes` of text: a bulk import's big changesets, in few. */
function bigChangesets(replica: Replica, count: number, bytes: number): void {
  for (let i = 0; i < count; i++) replica.create('Bug', { summary: `big ${i}`, notes: `${i} `.repeat(bytes / 2) });
}

describe('merging big changesets', () => {
  it('commits a clone in transactions bounded by the bytes of their bodies, not only by their number', async () => {
    const alice = peer('alice');
    bigChangesets(alice, 8, 100_000);
    const bob = emptyCloneOf(alice, 'bob');
    const steps: number[] = [];
    await merge(LocalReplicaSource.of(alice), bob, { batchBytes: 250_000, onProgress: (p: MergeProgress) => p.phase === 'changesets' && steps.push(p.done) });

    // 20,000 changesets a transaction by count: one transaction. By bytes: two big changesets at most in each.
    expect(steps.length).toBeGreaterThanOrEqual(4);
    expect(steps.at(-1)).toBe(alice.latestSequenceNo());
    expect(state(bob)).toEqual(state(alice));
  });

  it('reads a local replica in batches bounded by bytes', async () => {
    const alice = peer('alice');
    bigChangesets(alice, 12, 1024 * 1024);
    const batches: number[] = [];
    let seen = 0;
    for await (const batch of LocalReplicaSource.of(alice).changesets(0)) {
      batches.push(batch.reduce((sum, e) => sum + e.body.length, 0));
      expect(batch[0]?.sequence_no).toBe(seen + 1);
      seen = batch.at(-1)?.sequence_no ?? seen;
    }

    expect(seen).toBe(alice.latestSequenceNo());
    expect(batches.length).toBeGreaterThan(1);
    // A batch closes on the changeset that takes it past the limit.
    for (const bytes of batches) expect(bytes).toBeLessThan(PACK_MAX_BYTES + 1.1 * 1024 * 1024);
  });
});
