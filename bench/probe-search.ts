/**
 * A quick look at issue 13's library searches: each query of the search
 * benchmark through `runQuery` on the 50,000-ticket SD dataset, median of
 * five (wall and CPU time), without the whole commands, REST and clone that bench:search adds.
 * Run: npx vite-node bench/probe-search.ts  (QS="q1|q2" for other queries;
 * BENCH_SEARCH_DIR as for bench:search: the dataset is built there or reused)
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuery } from '../src/prophet/replica/query.js';
import { openSdReplica } from '../src/sd/model/app.js';
import { TICKET } from '../src/sd/model/record-types.js';
import { median, spread } from './measure.js';
import { generateSdDataset } from './sd-dataset.js';

const DIR = process.env.BENCH_SEARCH_DIR ?? join(tmpdir(), 'sd-search-bench-50000');
mkdirSync(DIR, { recursive: true });
const data = generateSdDataset(join(DIR, 'replica'), { tickets: 50_000 });
const replica = openSdReplica(data.root, { env: data.env });
const queries = (process.env.QS ?? `12345|unicode|unicode limit:20|"unicode crash"|unicode status:open owner:${data.sampleOwner}|reproduce limit:20|created:>=2026-01-01 limit:20`).split('|');
for (const q of queries) {
  const found = runQuery(replica, TICKET, q);
  const ms = median(5, () => runQuery(replica, TICKET, q));
  // CPU time moves less than wall time when other work shares the cores.
  const cpu = spread(
    Array.from({ length: 5 }, () => {
      const before = process.cpuUsage();
      runQuery(replica, TICKET, q);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    }),
  ).median;
  console.log(`${ms.toFixed(1).padStart(8)} ms ${cpu.toFixed(1).padStart(8)} ms CPU ${String(found.records.length).padStart(6)} of ${String(found.total).padStart(6)}  ${q}`);
}
replica.close();
