/**
 * The web UI's server-side render time over the 50,000-ticket SD dataset
 * (issue 12): whole requests through fastify's inject, so routing, the
 * query, the templates and escaping are all counted; no network.
 * Run: npm run bench:web  (BENCH_SD_TICKETS, BENCH_WEB_DIR)
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../src/prophet/server/app.js';
import { openSdReplica } from '../src/sd/model/app.js';
import { COMMENT, TICKET } from '../src/sd/model/record-types.js';
import { ticketComments } from '../src/sd/model/tickets.js';
import { sdWebUi } from '../src/sd/web/extension.js';
import { writeResults } from './results.js';
import { generateSdDataset } from './sd-dataset.js';

const TICKETS = Number(process.env.BENCH_SD_TICKETS ?? 50_000);
const DIR = process.env.BENCH_WEB_DIR ?? join(tmpdir(), `sd-web-bench-${TICKETS}`);
const RUNS = 15;

mkdirSync(DIR, { recursive: true });
const data = generateSdDataset(join(DIR, 'replica'), { tickets: TICKETS });
const replica = openSdReplica(data.root, { env: data.env });
// A ticket with 50 comments, added once (the dataset's average is five).
const busy = replica.get('1', TICKET);
const existing = ticketComments(replica, busy.uuid).length;
if (existing < 50) {
  replica.edit((e) => {
    for (let i = existing; i < 50; i++) e.create(COMMENT, { ticket: busy.uuid, content: `Bench comment ${i}: <b>escaped</b> & long enough to be a real comment about the problem.` });
  });
}
const app = buildServer(replica, { extensions: [sdWebUi], localForms: true });
await app.ready();

async function median(url: string): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const res = await app.inject({ method: 'GET', url });
    times.push(performance.now() - start);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    bytes = res.body.length;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(RUNS / 2)]!, bytes };
}

const rows: Array<[string, string]> = [['dataset', `${data.tickets} tickets, ${data.comments} comments, ${data.attachments} attachments (bench/sd-dataset.ts)`]];
for (const [label, url] of [
  ['list, first page (active tickets: 9,050)', '/ui/tickets'],
  ['list, first page of every ticket', '/ui/tickets?status=*'],
  ['list, filtered (status=open, owner=dev7@…)', `/ui/tickets?status=open&owner=${encodeURIComponent(data.sampleOwner)}`],
  ['list, page 100 of every ticket', '/ui/tickets?status=*&page=100'],
  ['list, every ticket sorted by owner, grouped by milestone', '/ui/tickets?status=*&sort=owner&group=milestone'],
  ['ticket page with 50 comments', '/ui/ticket/1'],
  ['project overview', '/ui/'],
] as const) {
  const r = await median(url);
  console.log(label, r);
  rows.push([label, `${r.ms.toFixed(1)} ms (${(r.bytes / 1024).toFixed(0)} KB)`]);
}
writeResults('web', `SD web UI: server-side render time over ${TICKETS.toLocaleString('en')} tickets (issue 12; target < 50 ms)`, rows);
await app.close();
replica.close();
