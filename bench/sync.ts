/**
 * Issue 3's benchmark: clone of a replica holding 50,000 records and
 * 500,000 property changes (one changeset per create, one per update, as
 * a real log has them), a pull of 1,000 new changesets into the clone, and
 * a no-op pull. Run: npm run bench:sync
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { merge } from '../src/prophet/sync/merge.js';
import { cloneFromSource } from '../src/prophet/replication/operations.js';
import { LocalReplicaSource } from '../src/prophet/transports/local-source.js';
import { mib, PeakMemory, seededRandom, timeAsync as timed } from './measure.js';
import { writeResults } from './results.js';
import { build, env, RECORDS } from './sync-dataset.js';

const PULLED = 1_000;

const dir = mkdtempSync(join(tmpdir(), 'prophet-bench-sync-'));
try {
  const { source, writer, propertyChanges } = build(dir);
  const changesets = source.latestSequenceNo();
  const memory = new PeakMemory();
  const rssBefore = process.memoryUsage().rss;
  // What `prophet clone` runs: a staged clone, made durable, moved into place.
  const cloned = await timed(() => cloneFromSource(LocalReplicaSource.of(source), join(dir, 'clone'), { env }));
  const peak = memory.stop();
  const target = cloned.value.replica;
  const clone = { ms: cloned.ms, value: cloned.value.report };

  const rand = seededRandom(5);
  source.transaction(() => {
    for (let i = 0; i < PULLED; i++) writer.update(rand);
  });
  const pull = await timed(() => merge(LocalReplicaSource.of(source), target));

  const noops: number[] = [];
  for (let i = 0; i < 9; i++) noops.push((await timed(() => merge(LocalReplicaSource.of(source), target))).ms);
  const noop = noops.sort((a, b) => a - b)[4]!;

  writeResults('sync', 'Sync: clone, pull, no-op pull (issue 3)', [
    ['source replica', `${RECORDS} records, ${propertyChanges} property changes in ${changesets} changesets (one per create or update)`],
    ['clone (`cloneFromSource`, what `prophet clone` runs)', `${clone.value.changesets.integrated} changesets in ${clone.ms.toFixed(0)} ms = ${Math.round((clone.value.changesets.integrated / clone.ms) * 1000)} changesets/s`],
    ['peak RSS during clone', `${mib(peak)} (${mib(rssBefore)} before)`],
    [`pull of ${PULLED} new changesets into the clone`, `${pull.ms.toFixed(0)} ms = ${Math.round((pull.value.changesets.integrated / pull.ms) * 1000)} changesets/s`],
    ['no-op pull', `${noop.toFixed(2)} ms (median of 9)`],
  ]);
  source.close();
  target.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
