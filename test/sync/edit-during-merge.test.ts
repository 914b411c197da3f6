import { describe, expect, it } from 'vitest';
import type { ChangesetEntry, ChangesetSource } from '../../src/prophet/sync/source.js';
import { merge } from '../../src/prophet/sync/merge.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { cloneOf, peer } from './helpers.js';

/** The source's log one changeset per batch, calling `before(seq)` ahead of each: time for another writer between the merge's transactions. */
function oneByOne(inner: ChangesetSource, before: (seq: number) => void): ChangesetSource {
  return {
    description: inner.description,
    identity: () => inner.identity(),
    resolutions: () => inner.resolutions(),
    async *changesets(after: number): AsyncIterable<ChangesetEntry[]> {
      for await (const batch of inner.changesets(after)) {
        for (const entry of batch) {
          before(entry.sequence_no);
          yield [entry];
        }
      }
    },
  };
}

describe('an edit committed by another writer while a merge runs', () => {
  it('is the target side of a conflict with a later batch, settled like any other', async () => {
    const alice = peer('alice');
    const bug = alice.create('Bug', { status: 'new' }).uuid;
    const bob = await cloneOf(alice, 'bob');
    alice.create('Bug', { status: 'other' });
    alice.update('Bug', bug, { status: 'open' });
    const conflicting = alice.latestSequenceNo();

    // Bob edits between the merge's transactions, as another process would.
    const source = oneByOne(LocalReplicaSource.of(alice), (seq) => {
      if (seq === conflicting) bob.update('Bug', bug, { status: 'stalled' });
    });
    const report = await merge(source, bob, { batchSize: 1, prefer: 'source' });

    expect(report.conflicts).toMatchObject([{ record_uuid: bug, name: 'status', how: 'prefer', chosen: 'open' }]);
    expect(bob.get(bug).props.status).toBe('open');
    expect(bob.conflictedProperties(bug)).toEqual([]);
  });
});
