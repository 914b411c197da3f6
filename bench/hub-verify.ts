/**
 * What bench/hub.ts checks on every side, computed the same way on a
 * client's replica and on the hub: the record set, and the hub's log.
 */
import { createHash } from 'node:crypto';
import type { Replica } from '../src/prophet/replica/replica.js';

/** The record type the benchmark writes (the seed's, bench/sync-dataset.ts). */
export const BENCH_TYPE = 'Bug';

/** A fingerprint of every live record and its properties: equal on two replicas exactly when their record sets are. */
export function recordSetDigest(replica: Replica): { records: number; digest: string } {
  const lines = replica.liveRecords(BENCH_TYPE).map((r) => `${r.uuid}\t${JSON.stringify(Object.entries(r.props).sort(([a], [b]) => (a < b ? -1 : 1)))}`);
  lines.sort();
  return { records: lines.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16) };
}

/** The hub's log: how many changesets, and which of them carry an (origin uuid, origin seq) seen before, or a gap in its sequence numbers. */
export function logCheck(replica: Replica): { changesets: number; duplicates: number; gaps: number } {
  const seen = new Set<string>();
  let changesets = 0;
  let duplicates = 0;
  let gaps = 0;
  let previous = 0;
  for (const row of replica.rawChangesets(1)) {
    changesets++;
    if (row.seq !== previous + 1) gaps++;
    previous = row.seq;
    const id = `${row.origin_uuid.toLowerCase()}:${row.origin_seq}`;
    if (seen.has(id)) duplicates++;
    seen.add(id);
  }
  return { changesets, duplicates, gaps };
}
