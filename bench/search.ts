/**
 * Issue 13's benchmark: full-text searches and the query language over
 * the SD dataset (50,000 tickets, ~250,000 comments, ~100,000
 * attachments): in the library, as whole `sd ticket search` commands, and
 * through the REST API; the index's build time inside a clone and its size.
 * Run: npm run bench:search  (BENCH_SEARCH_TICKETS, BENCH_SEARCH_DIR)
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuery } from '../src/prophet/replica/query.js';
import { cloneFromSource } from '../src/prophet/replication/operations.js';
import { startServer } from '../src/prophet/server/listen.js';
import { fullTextTable } from '../src/prophet/store/full-text.js';
import { rebuildFullText } from '../src/prophet/store/full-text-rebuild.js';
import { RecordShapes } from '../src/prophet/store/record-shapes.js';
import { LocalReplicaSource } from '../src/prophet/transports/local-source.js';
import { openSdReplica, sdAppDefinition } from '../src/sd/model/app.js';
import { TICKET } from '../src/sd/model/record-types.js';
import { commandTime, median, time } from './measure.js';
import { writeResults } from './results.js';
import { generateSdDataset } from './sd-dataset.js';

const TICKETS = Number(process.env.BENCH_SEARCH_TICKETS ?? 50_000);
// Its own directory: a dataset made by another release's schema would not open here, nor this one there.
const DIR = process.env.BENCH_SEARCH_DIR ?? join(tmpdir(), `sd-search-bench-${TICKETS}`);
const RUNS = 7;
const SD = join(import.meta.dirname, '..', 'bin', 'sd.js');

mkdirSync(DIR, { recursive: true });
const made = time(() => generateSdDataset(join(DIR, 'replica'), { tickets: TICKETS }));
const data = made.value;
console.log(`dataset: ${data.tickets} tickets, ${data.comments} comments, ${data.attachments} attachments (${(made.ms / 1000).toFixed(1)} s)`);

const replica = openSdReplica(data.root, { env: data.env });
// A date range holding a tenth of the tickets: from the 20,000th ticket's creation to the 25,000th's.
const tickets = replica.liveRecords(TICKET);
const createdOf = (nth: number) => tickets[nth]?.props.created ?? '';
const [from, to] = [createdOf(Math.floor(TICKETS * 0.4)), createdOf(Math.floor(TICKETS * 0.5))].map((c) => c.replace(' ', 'T'));

const QUERIES: Array<[string, string]> = [
  ['one word, in few tickets (`12345`)', '12345'],
  ['one word, in about a third of the tickets (`unicode`)', 'unicode'],
  ['the same, first 20 by relevance (`unicode limit:20`)', 'unicode limit:20'],
  ['a phrase (`"unicode crash"`)', '"unicode crash"'],
  ['a word and two properties (`unicode status:open owner:dev7@…`)', `unicode status:open owner:${data.sampleOwner}`],
  [`a date range (\`created:>=… created:<…\`)`, `created:>=${from} created:<${to}`],
  [`its newest 20 (\`created:>=… created:<… sort:-created limit:20\`)`, `created:>=${from} created:<${to} sort:-created limit:20`],
  ['a word in every comment (`reproduce limit:20`)', 'reproduce limit:20'],
];

const rows: Array<[string, string]> = [
  // Other processes on the machine slow every figure below; this says how busy it was.
  ['load average when the run began', `${loadavg()[0]!.toFixed(1)}`],
  ['dataset', `${data.tickets} tickets, ${data.comments} comments, ${data.attachments} attachments (bench/sd-dataset.ts, ${(made.ms / 1000).toFixed(0)} s to build, or reused)`],
];

for (const [label, q] of QUERIES) {
  const found = runQuery(replica, TICKET, q).records.length;
  const ms = median(RUNS, () => runQuery(replica, TICKET, q));
  console.log('library', label, ms, found);
  rows.push([`library \`runQuery\`: ${label}`, `${ms.toFixed(1)} ms (${found} tickets)`]);
}

const command = (argv: string[]) => commandTime(argv, { ...data.env, SD_REPO: data.root }, RUNS);

// Starting Node alone takes from 25 ms on a quiet machine to several times that on a busy one: each command's own share is shown beside its time.
const floor = command(['-e', '0']).ms;
rows.push(['`node -e 0` (the floor of a whole command)', `${floor.toFixed(0)} ms`]);
for (const [label, q] of QUERIES) {
  const r = command([SD, 'ticket', 'search', q]);
  console.log('command', label, r);
  rows.push([`\`sd ticket search\`: ${label}`, `${r.ms.toFixed(0)} ms, ${(r.ms - floor).toFixed(0)} ms over Node's start (${r.lines} lines)`]);
}

const server = await startServer(replica, { port: 0, log: () => undefined });
try {
  for (const [label, q] of QUERIES) {
    const url = new URL(`/records/ticket?q=${encodeURIComponent(q)}`, server.url);
    const timings: number[] = [];
    let count = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const body = (await (await fetch(url)).json()) as { records: unknown[] };
      timings.push(performance.now() - started);
      count = body.records.length;
    }
    const ms = timings.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    console.log('rest', label, ms, count);
    rows.push([`REST \`GET /records/ticket?q=\`: ${label}`, `${ms.toFixed(0)} ms (${count} records)`]);
  }
} finally {
  await server.close();
}
replica.close();

// A clone builds the index once, at the end; its share is timed again on the clone's file.
const cloneDir = join(DIR, 'clone');
rmSync(cloneDir, { recursive: true, force: true });
const source = openSdReplica(data.root, { env: data.env });
const cpuMs = (since?: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const cloneStarted = performance.now();
const cloneCpu = process.cpuUsage();
const { replica: clone } = await cloneFromSource(LocalReplicaSource.of(source), cloneDir, { env: data.env, app: sdAppDefinition });
const cloneMs = performance.now() - cloneStarted;
const cloneCpuMs = cpuMs(cloneCpu);
clone.close();
source.close();
const db = new Database(join(cloneDir, 'db.sqlite'));
const f = fullTextTable('main_');
const sources = db.prepare("SELECT value FROM main_metadata WHERE key = 'full-text-sources'").pluck().get() as string;
const shapes = new RecordShapes(db, 'main_');
// Both tables: the records' own text, and the tickets' comments' and attachments' (full-text.ts).
const buildCpu = process.cpuUsage();
const build = time(() =>
  db.transaction(() => rebuildFullText(db, 'main_', JSON.parse(sources), shapes))(),
).ms;
const buildCpuMs = cpuMs(buildCpu);
const pageSize = db.pragma('page_size', { simple: true }) as number;
const sizeOf = (like: string) => (db.prepare(`SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE ?`).pluck().get(like) as number) / 2 ** 20;
const ftsMiB = sizeOf(`${f}%`);
const propsMiB = sizeOf('main_prop_values%');
const totalMiB = ((db.pragma('page_count', { simple: true }) as number) * pageSize) / 2 ** 20;
db.close();
rmSync(cloneDir, { recursive: true, force: true });
console.log({ cloneMs, cloneCpuMs, build, buildCpuMs, ftsMiB, totalMiB });
rows.push(
  ['clone of the dataset (`cloneFromSource`, the index built at the end)', `${(cloneMs / 1000).toFixed(1)} s (${(cloneCpuMs / 1000).toFixed(1)} s CPU)`],
  [
    'of which building the full-text index',
    `${(build / 1000).toFixed(1)} s: +${((build / (cloneMs - build)) * 100).toFixed(0)}% over the clone without it (CPU: ${(buildCpuMs / 1000).toFixed(1)} s, +${((buildCpuMs / (cloneCpuMs - buildCpuMs)) * 100).toFixed(0)}%)`,
  ],
  ['full-text index size / database size', `${ftsMiB.toFixed(0)} MiB / ${totalMiB.toFixed(0)} MiB (${((ftsMiB / totalMiB) * 100).toFixed(0)}%; the property index: ${propsMiB.toFixed(0)} MiB); file ${(statSync(join(data.root, 'db.sqlite')).size / 2 ** 20).toFixed(0)} MiB`],
);

writeResults('search', `Search: full text and the query language over ${TICKETS.toLocaleString('en')} tickets (issue 13)`, rows);
