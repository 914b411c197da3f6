import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { cloneFromSource } from '../../src/prophet/replication/operations.js';
import type { ChangesetEntry, ChangesetSource } from '../../src/prophet/sync/source.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { newReplica, tempDir, testEnv } from '../helpers/temp-replica.js';

/** A source that hands over its first batch, then fails as a dropped connection would. */
function failingAfterFirstBatch(inner: ChangesetSource): ChangesetSource {
  return {
    description: 'a source that fails',
    identity: () => inner.identity(),
    resolutions: () => inner.resolutions(),
    async *changesets(after: number): AsyncIterable<ChangesetEntry[]> {
      for await (const batch of inner.changesets(after)) {
        yield batch.slice(0, 1);
        throw new Error('connection reset');
      }
    },
  };
}

describe('a clone is staged, then moved into place whole', () => {
  it('leaves the clone at its path, durable and with nothing staged beside it', async () => {
    const source = newReplica();
    for (let i = 0; i < 5; i++) source.create('Bug', { summary: `bug ${i}` });
    const parent = tempDir();
    const { replica } = await cloneFromSource(LocalReplicaSource.of(source), join(parent, 'copy'), { env: testEnv() });
    expect(replica.countLive('Bug')).toBe(5);
    expect(readdirSync(parent)).toEqual(['copy']);
    replica.close();
    expect(Replica.open(join(parent, 'copy'), { env: testEnv() }).latestSequenceNo()).toBe(source.latestSequenceNo());
  });

  it('leaves no replica and no staging directory when the source fails midway', async () => {
    const source = newReplica();
    for (let i = 0; i < 5; i++) source.create('Bug', { summary: `bug ${i}` });
    const parent = tempDir();
    await expect(cloneFromSource(failingAfterFirstBatch(LocalReplicaSource.of(source)), join(parent, 'copy'), { env: testEnv() })).rejects.toThrow(/connection reset/);
    expect(readdirSync(parent)).toEqual([]);
  });
});
