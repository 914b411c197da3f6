/**
 * Issue 16's scale benchmark: SD-shaped datasets of 50,000, 200,000 and
 * 1,000,000 tickets (bench/sd-dataset.ts, the same shape at every size: two
 * short comments a ticket on average, a small attachment on one in ten), and
 * for each size the whole `sd` commands a user runs, each as its own child
 * process so its peak memory (max RSS) is its own: a clone from the folder
 * and over HTTP from `sd server`, a pull of 100 changed tickets, a no-op
 * pull, a filtered `sd ticket list`, `sd ticket show`, a search, and the
 * size on disk. The table shows what grows with the database and what only
 * with the change. The section in bench/RESULTS.md is rewritten after each
 * size, so a long run leaves the smaller sizes' figures behind as it goes.
 *
 * Run: nice -n 19 npm run bench:scale   (hours at 1M on two cores)
 * BENCH_SCALE_SIZES=50000,200000 picks sizes; datasets are built in
 * BENCH_SCALE_DIR (default the temp dir)/sd-scale-N/replica and reused by
 * later runs (each run adds its 100 changed tickets to them); clones are
 * removed after each size.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { search } from '../src/prophet/replica/search.js';
import { openSdReplica } from '../src/sd/model/app.js';
import { TICKET } from '../src/sd/model/record-types.js';
import { bytesUnder, measuredCommand, mib, spread, withPeakRss } from './measure.js';
import { writeResults } from './results.js';
import { generateSdDataset, type SdDataset } from './sd-dataset.js';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '50000,200000,1000000').split(',').map(Number);
const BASE = process.env.BENCH_SCALE_DIR ?? tmpdir();
const SHAPE = { comments: 2, attachments: 0.1 };
const CHANGED = 100;
/** Runs of the quick commands; the median time and the highest peak memory are kept. */
const RUNS = 3;
const SD = join(import.meta.dirname, '..', 'bin', 'sd.js');

interface Step {
  ms: number;
  maxRss: number;
}

interface SizeFigures {
  data: SdDataset;
  steps: Map<string, Step>;
  /** Bytes on disk, by what. */
  bytes: Map<string, number>;
  serverRss: number;
}

const seconds = (ms: number) => (ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

function sd(repo: string, data: SdDataset, args: string[]): Step & { stdout: string } {
  return measuredCommand([SD, ...args], { ...data.env, SD_REPO: repo });
}

/** A quick command run RUNS times: the median time, the highest peak memory. */
function repeated(repo: string, data: SdDataset, args: string[]): Step {
  const runs = Array.from({ length: RUNS }, () => sd(repo, data, args));
  return { ms: spread(runs.map((r) => r.ms)).median, maxRss: Math.max(...runs.map((r) => r.maxRss)) };
}

/** `sd server` on the dataset in its own process; `stop()` resolves with its peak memory once it has exited. */
function startServer(data: SdDataset): Promise<{ url: string; stop: () => Promise<number> }> {
  const child = withPeakRss([SD, 'server', '--port', '0'], { ...data.env, SD_REPO: data.root });
  const proc = spawn(process.execPath, child.argv, { env: child.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => proc.on('exit', () => done()));
  return new Promise((done, fail) => {
    let out = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/\S+\/)/.exec(out);
      if (m) done({ url: m[1]!, stop: () => (proc.kill('SIGTERM'), exited.then(child.peak)) });
    });
    proc.on('exit', (code) => fail(new Error(`sd server exited ${code} (run npm run build first)`)));
  });
}

/** The small change a pull carries: CHANGED tickets edited on the source, one changeset each, as users make them. */
function changeTickets(data: SdDataset): void {
  const replica = openSdReplica(data.root, { env: data.env });
  try {
    const tickets = search(replica, TICKET, { criteria: [{ prop: 'owner', cmp: '=', value: data.sampleOwner }] }).slice(0, CHANGED);
    for (const t of tickets) replica.edit((e) => e.update(TICKET, t.uuid, { summary: `${t.props.summary ?? ''} (edited)` }));
  } finally {
    replica.close();
  }
}

async function measure(tickets: number): Promise<SizeFigures> {
  const dir = join(BASE, `sd-scale-${tickets}`);
  mkdirSync(dir, { recursive: true });
  const data = generateSdDataset(join(dir, 'replica'), { tickets, ...SHAPE });
  console.log(`${tickets}: ${data.tickets} tickets, ${data.comments} comments, ${data.attachments} attachments, sha256 ${data.sha256} (built in ${data.buildMs} ms)`);
  const steps = new Map<string, Step>();
  const step = (label: string, s: Step) => {
    console.log(`${tickets}: ${label}: ${seconds(s.ms)}, ${mib(s.maxRss)}`);
    steps.set(label, s);
  };
  const local = join(dir, 'clone-local');
  const http = join(dir, 'clone-http');
  rmSync(local, { recursive: true, force: true });
  rmSync(http, { recursive: true, force: true });
  const bytes = new Map<string, number>([['dataset', bytesUnder(data.root)]]);

  step('version', repeated(data.root, data, ['version']));
  step('clone-local', sd(local, data, ['clone', '--from', data.root, '--to', local]));
  bytes.set('clone', bytesUnder(local));
  const server = await startServer(data);
  step('clone-http', sd(http, data, ['clone', '--from', server.url, '--to', http]));
  const serverRss = await server.stop();

  changeTickets(data);
  const again = await startServer(data);
  try {
    step('pull-local', sd(local, data, ['pull', '--from', data.root]));
    step('pull-http', sd(http, data, ['pull', '--from', again.url]));
    step('noop-local', repeated(local, data, ['pull', '--from', data.root]));
    step('noop-http', repeated(http, data, ['pull', '--from', again.url]));
  } finally {
    await again.stop();
  }
  step('list', repeated(data.root, data, ['ticket', 'list', '--', 'status=open', `owner=${data.sampleOwner}`]));
  step('show', repeated(data.root, data, ['ticket', 'show', '1']));
  step('search', repeated(data.root, data, ['ticket', 'search', 'unicode', 'limit:20']));
  rmSync(local, { recursive: true, force: true });
  rmSync(http, { recursive: true, force: true });
  return { data, steps, bytes, serverRss };
}

const ROWS: Array<[string, string]> = [
  ['version', '`sd version` (the floor: start-up, no data)'],
  ['clone-local', '`sd clone --from DIR` (a folder on this machine)'],
  ['clone-http', '`sd clone --from http://…` (from `sd server`)'],
  ['pull-local', `\`sd pull\` of ${CHANGED} changed tickets, folder`],
  ['pull-http', `\`sd pull\` of ${CHANGED} changed tickets, HTTP`],
  ['noop-local', '`sd pull` with nothing new, folder'],
  ['noop-http', '`sd pull` with nothing new, HTTP'],
  ['list', '`sd ticket list -- status=open owner=dev7@…`'],
  ['show', '`sd ticket show 1` (with comments and history)'],
  ['search', '`sd ticket search unicode limit:20`'],
];

function write(done: SizeFigures[]): void {
  const cell = (s: Step | undefined) => (s ? `${seconds(s.ms)}, ${mib(s.maxRss)}` : '–');
  const first = done[0]!;
  const last = done.at(-1)!;
  const growth = (key: string) => {
    const [a, b] = [first.steps.get(key), last.steps.get(key)];
    return a && b && done.length > 1 ? `${(b.ms / a.ms).toFixed(1)}× / ${(b.maxRss / a.maxRss).toFixed(1)}×` : '–';
  };
  const ticketGrowth = done.length > 1 ? `${(last.data.tickets / first.data.tickets).toFixed(0)}×` : '–';
  const rows: string[][] = [
    ['dataset: tickets, comments, attachments', ...done.map((f) => `${f.data.tickets.toLocaleString('en')}, ${f.data.comments.toLocaleString('en')}, ${f.data.attachments.toLocaleString('en')}`), ticketGrowth],
    ['dataset sha256 (of the generated content)', ...done.map((f) => `\`${f.data.sha256.slice(0, 12)}…\``), ''],
    ['building the dataset (library, 500 tickets a changeset)', ...done.map((f) => (f.data.buildMs === undefined ? '–' : seconds(f.data.buildMs))), ''],
    ['size on disk: dataset / clone', ...done.map((f) => `${mib(f.bytes.get('dataset')!)} / ${mib(f.bytes.get('clone')!)}`), ''],
    ...ROWS.map(([key, label]) => [label, ...done.map((f) => cell(f.steps.get(key))), growth(key)]),
    ['`sd server` peak memory while serving the HTTP clone', ...done.map((f) => mib(f.serverRss)), done.length > 1 ? `${(last.serverRss / first.serverRss).toFixed(1)}×` : '–'],
  ];
  writeResults('scale', 'Scale: 50,000 to 1,000,000 tickets, whole `sd` commands (issue 16)', rows, {
    columns: ['each a child process: wall time, its peak memory (max RSS)', ...done.map((f) => `${f.data.tickets.toLocaleString('en')} tickets`), `growth ${first.data.tickets.toLocaleString('en')} → ${last.data.tickets.toLocaleString('en')} (time / memory)`],
    intro: `Datasets from bench/sd-dataset.ts (seed 42, ${SHAPE.comments} comments a ticket on average, an attachment on ${SHAPE.attachments * 100}% of tickets); quick commands are the median of ${RUNS} runs. Run: \`nice -n 19 npm run bench:scale\`.`,
  });
}

const done: SizeFigures[] = [];
for (const tickets of SIZES) {
  done.push(await measure(tickets));
  write(done);
}
