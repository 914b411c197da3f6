/**
 * Issue 16's scale benchmark: SD-shaped datasets of 50,000, 200,000 and
 * 1,000,000 tickets (bench/sd-dataset.ts, the same shape at every size: two
 * short comments a ticket on average, a small attachment on one in ten), and
 * for each size the whole `sd` commands a user runs, each as its own child
 * process so its peak memory (max RSS) is its own: a clone from the folder
 * and over HTTP from `sd server`, a pull of 100 changed tickets, a no-op
 * pull, a filtered `sd ticket list`, `sd ticket show`, a search, and the
 * size on disk. The table shows what grows with the database and what only
 * with the change. Each size's figures are kept beside its dataset
 * (sd-scale-N/figures.json) and the section in bench/RESULTS.md is
 * rewritten after each size with every size measured so far, so a long
 * run leaves the smaller sizes' figures behind as it goes, and a million
 * tickets can be measured on its own run into the same table.
 *
 * Run: nice -n 19 npm run bench:scale   (hours at 1M on two cores)
 * BENCH_SCALE_SIZES=50000,200000 picks sizes; datasets are built in
 * BENCH_SCALE_DIR (default the temp dir)/sd-scale-N/replica and reused by
 * later runs (each run adds its changed tickets to them); clones are
 * removed after each size.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { search } from '../src/prophet/replica/search.js';
import { openSdReplica } from '../src/sd/model/app.js';
import { TICKET } from '../src/sd/model/record-types.js';
import { bytesUnder, measuredCommand, mib, spread, withPeakRss, type ChildUsage } from './measure.js';
import { writeResults } from './results.js';
import { generateSdDataset, type SdDataset } from './sd-dataset.js';

const DEFAULT_SIZES = [50_000, 200_000, 1_000_000];
const SIZES = process.env.BENCH_SCALE_SIZES?.split(',').map(Number) ?? DEFAULT_SIZES;
const BASE = process.env.BENCH_SCALE_DIR ?? tmpdir();
const SHAPE = { comments: 2, attachments: 0.1 };
const CHANGED = 100;
/** Runs of the pulls and quick commands; the median times and the highest peak memory are kept. */
const RUNS = 3;
const SD = join(import.meta.dirname, '..', 'bin', 'sd.js');

/** A step's wall time, and its process's peak memory and CPU time. */
interface Step extends ChildUsage {
  ms: number;
}

/** One size's figures, kept as JSON beside its dataset (FIGURES). */
interface SizeFigures {
  data: Omit<SdDataset, 'env'>;
  steps: Record<string, Step>;
  /** Bytes on disk, by what. */
  bytes: Record<string, number>;
  /** `sd server` while it served the HTTP clone (its start-up, which cuts the log into packs, included). */
  server: ChildUsage;
}

const dirOf = (tickets: number) => join(BASE, `sd-scale-${tickets}`);
const FIGURES = 'figures.json';

const seconds = (ms: number) => (ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

function sd(repo: string, data: SdDataset, args: string[]): Step & { stdout: string } {
  return measuredCommand([SD, ...args], { ...data.env, SD_REPO: repo });
}

/** Several runs of a step: the median times, the highest peak memory. */
function summary(runs: Step[]): Step {
  const median = (k: 'ms' | 'cpuMs') => spread(runs.map((r) => r[k])).median;
  return { ms: median('ms'), cpuMs: median('cpuMs'), maxRss: Math.max(...runs.map((r) => r.maxRss)) };
}

/** A quick command run RUNS times. */
function repeated(repo: string, data: SdDataset, args: string[]): Step {
  return summary(Array.from({ length: RUNS }, () => sd(repo, data, args)));
}

/** `sd server` on the dataset in its own process; `stop()` resolves with its usage once it has exited. */
function startServer(data: SdDataset): Promise<{ url: string; stop: () => Promise<ChildUsage> }> {
  const child = withPeakRss([SD, 'server', '--port', '0'], { ...data.env, SD_REPO: data.root });
  const proc = spawn(process.execPath, child.argv, { env: child.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => proc.on('exit', () => done()));
  return new Promise((done, fail) => {
    let out = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/\S+\/)/.exec(out);
      if (m) done({ url: m[1]!, stop: () => (proc.kill('SIGTERM'), exited.then(child.usage)) });
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
  const dir = dirOf(tickets);
  mkdirSync(dir, { recursive: true });
  const data = generateSdDataset(join(dir, 'replica'), { tickets, ...SHAPE });
  console.log(`${tickets}: ${data.tickets} tickets, ${data.comments} comments, ${data.attachments} attachments, sha256 ${data.sha256} (built in ${data.buildMs} ms)`);
  const steps: Record<string, Step> = {};
  const step = (label: string, s: Step) => {
    console.log(`${tickets}: ${label}: ${seconds(s.ms)} (${seconds(s.cpuMs)} CPU), ${mib(s.maxRss)}`);
    steps[label] = { ms: s.ms, cpuMs: s.cpuMs, maxRss: s.maxRss };
  };
  const local = join(dir, 'clone-local');
  const http = join(dir, 'clone-http');
  rmSync(local, { recursive: true, force: true });
  rmSync(http, { recursive: true, force: true });
  const bytes: Record<string, number> = { dataset: bytesUnder(data.root) };

  step('version', repeated(data.root, data, ['version']));
  step('clone-local', sd(local, data, ['clone', '--from', data.root, '--to', local]));
  bytes.clone = bytesUnder(local);
  const server = await startServer(data);
  step('clone-http', sd(http, data, ['clone', '--from', server.url, '--to', http]));
  const serverUsage = await server.stop();

  const again = await startServer(data);
  try {
    const pulls = { local: [] as Step[], http: [] as Step[] };
    for (let i = 0; i < RUNS; i++) {
      changeTickets(data);
      pulls.local.push(sd(local, data, ['pull', '--from', data.root]));
      pulls.http.push(sd(http, data, ['pull', '--from', again.url]));
    }
    step('pull-local', summary(pulls.local));
    step('pull-http', summary(pulls.http));
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
  const { env: _env, ...described } = data;
  const figures: SizeFigures = { data: described, steps, bytes, server: serverUsage };
  writeFileSync(join(dir, FIGURES), JSON.stringify(figures));
  return figures;
}

/**
 * Every size measured, this run's and those an earlier run left beside
 * their datasets: a million tickets take hours, so they may be measured
 * on their own and still land in the same table.
 */
function measuredSizes(): SizeFigures[] {
  const sizes = [...new Set([...DEFAULT_SIZES, ...SIZES])].sort((a, b) => a - b);
  return sizes.map((n) => join(dirOf(n), FIGURES)).filter((f) => existsSync(f)).map((f) => JSON.parse(readFileSync(f, 'utf8')) as SizeFigures);
}

const ROWS: Array<[string, string]> = [
  ['version', '`sd version` (the floor: start-up, no data)'],
  ['clone-local', '`sd clone --from DIR` (a folder on this machine)'],
  ['clone-http', '`sd clone --from http://…` (from `sd server`)'],
  ['pull-local', `\`sd pull\` of ${CHANGED} changed tickets (a changeset each), folder`],
  ['pull-http', `\`sd pull\` of ${CHANGED} changed tickets (a changeset each), HTTP`],
  ['noop-local', '`sd pull` with nothing new, folder'],
  ['noop-http', '`sd pull` with nothing new, HTTP'],
  ['list', '`sd ticket list -- status=open owner=dev7@…`'],
  ['show', '`sd ticket show 1` (with comments and history)'],
  ['search', '`sd ticket search unicode limit:20`'],
];

function write(done: SizeFigures[]): void {
  const cell = (s: Step | undefined) => (s ? `${seconds(s.ms)} (${seconds(s.cpuMs)} CPU), ${mib(s.maxRss)}` : '–');
  const first = done[0]!;
  const last = done.at(-1)!;
  const growth = (key: string) => {
    const [a, b] = [first.steps[key], last.steps[key]];
    return a && b && done.length > 1 ? `${(b.cpuMs / a.cpuMs).toFixed(1)}× / ${(b.maxRss / a.maxRss).toFixed(1)}×` : '–';
  };
  const ticketGrowth = done.length > 1 ? `${(last.data.tickets / first.data.tickets).toFixed(0)}×` : '–';
  const rows: string[][] = [
    ['dataset: tickets, comments, attachments', ...done.map((f) => `${f.data.tickets.toLocaleString('en')}, ${f.data.comments.toLocaleString('en')}, ${f.data.attachments.toLocaleString('en')}`), ticketGrowth],
    ['dataset sha256 (of the generated content)', ...done.map((f) => `\`${f.data.sha256.slice(0, 12)}…\``), ''],
    ['building the dataset (library, 500 tickets a changeset)', ...done.map((f) => (f.data.buildMs === undefined ? '–' : seconds(f.data.buildMs))), ''],
    ['size on disk: dataset / clone', ...done.map((f) => `${mib(f.bytes.dataset!)} / ${mib(f.bytes.clone!)}`), ''],
    ...ROWS.map(([key, label]) => [label, ...done.map((f) => cell(f.steps[key])), growth(key)]),
    ['`sd server` while serving the HTTP clone (start-up included): CPU, peak memory', ...done.map((f) => `${seconds(f.server.cpuMs)} CPU, ${mib(f.server.maxRss)}`), done.length > 1 ? `${(last.server.cpuMs / first.server.cpuMs).toFixed(1)}× / ${(last.server.maxRss / first.server.maxRss).toFixed(1)}×` : '–'],
  ];
  writeResults('scale', 'Scale: 50,000 to 1,000,000 tickets, whole `sd` commands (issue 16)', rows, {
    columns: ['each a child process: wall time (its CPU time), its peak memory (max RSS)', ...done.map((f) => `${f.data.tickets.toLocaleString('en')} tickets`), `growth ${first.data.tickets.toLocaleString('en')} → ${last.data.tickets.toLocaleString('en')} (CPU / memory)`],
    intro: `Datasets from bench/sd-dataset.ts (seed 42, ${SHAPE.comments} comments a ticket on average, an attachment on ${SHAPE.attachments * 100}% of tickets); pulls and quick commands are the median of ${RUNS} runs (time) and the highest of them (memory); clones run once. The machine is shared (two cores, other jobs): wall times move with its load, CPU times much less, so the growth column compares CPU times. Run: \`nice -n 19 npm run bench:scale\`.`,
  });
}

for (const tickets of SIZES) {
  await measure(tickets);
  write(measuredSizes());
}
