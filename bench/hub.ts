/**
 * Issue 15's benchmark: the hub on PostgreSQL against a SQLite-backed
 * `prophet server`, in one run. Each configuration (one SQLite server; hubs
 * of 1, 2 and 3 `prophet server --store postgres://…` processes on one
 * database) takes the same workload: CLIENTS clients, each a clone of the
 * hub, push PUSHES changesets each (one small create or update per
 * changeset, one changeset per push), then all pull everything; then every
 * client pulls once more and must hold exactly the hub's records, and the
 * hub's log must hold every pushed changeset once. Then a CLONE-changeset
 * replica is loaded into a SQLite server and into a hub (`hub init
 * --from`, timed) and `prophet clone --from http://…` is timed from each.
 * Its own PostgreSQL (test/hub/pg-setup.sh) goes away at the end.
 *
 * Run: npm run bench:hub (HUB_BENCH_CLIENTS, HUB_BENCH_PUSHES,
 * HUB_BENCH_CLONE, HUB_BENCH_WORKERS for a quicker or different run;
 * HUB_BENCH_PUSHES=100 is the issue's full workload: see PUSHES).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, setPriority, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Replica } from '../src/prophet/replica/replica.js';
import { openHub } from '../src/prophet/replication/hub.js';
import { cloneFromSource } from '../src/prophet/replication/operations.js';
import { LocalReplicaSource } from '../src/prophet/transports/local-source.js';
import { processCpuMs, startCluster, type Cluster } from './hub-cluster.js';
import type { ClientSpec, Failure, FromWorker, ToWorker } from './hub-client.js';
import { logCheck, recordSetDigest } from './hub-verify.js';
import { startLiveServer, type LiveServer } from './live-server.js';
import { bundleChild, measuredCommand, time } from './measure.js';
import { writeResults } from './results.js';
import { build, env } from './sync-dataset.js';

function intEnv(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not '${process.env[name]}'`);
  return n;
}

const CLIENTS = intEnv('HUB_BENCH_CLIENTS', 50);
/**
 * The issue asks for 100 (HUB_BENCH_PUSHES=100: 19 minutes on the shared
 * 2-core machine, load average 6); 20 keeps the default run near 10, since
 * seeding the hub from the 100,000-changeset replica alone takes 5.
 */
const PUSHES = intEnv('HUB_BENCH_PUSHES', 20);
const CLONE = intEnv('HUB_BENCH_CLONE', 100_000);
const WORKERS = intEnv('HUB_BENCH_WORKERS', 2);
const HUB_PROCESSES = [1, 2, 3];
/** The hub's records before the clients push: 100 records, 200 changesets. */
const SEED_RECORDS = 100;
/** The clients' workers run at this niceness, below the servers and PostgreSQL: see the note in the results. */
const CLIENT_NICENESS = 10;
const BIN = resolve(import.meta.dirname, '..', 'bin', 'prophet.js');
/** Set once the run's directory exists: a HOME of the run's own, so no key or credentials file lands anywhere else. */
let cliEnv: NodeJS.ProcessEnv = { ...process.env, ...env };

/** Undone at the end, or on failure or Ctrl-C, last first. */
const cleanups: Array<() => void> = [];
function cleanUp(): void {
  while (cleanups.length) {
    try {
      cleanups.pop()!();
    } catch (err) {
      console.error(`clean-up: ${(err as Error).message}`);
    }
  }
}
// Also when the run dies of an error thrown outside the main flow (stdout closed under it, say).
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

function prophet(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: cliEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`prophet ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

function readPushToken(where: string[]): string {
  return (JSON.parse(prophet(['server', 'token', 'create', ...where, '--scope', 'read,push', '--label', 'bench', '--json'])) as { token: string }).token;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** A forked client worker, asked one phase at a time. */
class Worker {
  private readonly child: ChildProcess;
  private readonly exited: Promise<never>;

  constructor(script: string) {
    this.child = fork(script, [], { execArgv: [], env: cliEnv });
    setPriority(this.child.pid!, CLIENT_NICENESS);
    this.exited = new Promise((_, fail) => this.child.once('exit', (code) => fail(new Error(`a client worker exited (${code}) mid-phase`))));
    this.exited.catch(() => undefined);
    cleanups.push(() => this.stop());
  }

  ask<K extends FromWorker['kind']>(message: ToWorker): Promise<Extract<FromWorker, { kind: K }>> {
    const answer = new Promise<Extract<FromWorker, { kind: K }>>((done) => this.child.once('message', (m) => done(m as Extract<FromWorker, { kind: K }>)));
    this.child.send(message);
    return Promise.race([answer, this.exited]);
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

interface Setup {
  name: string;
  processes: number;
  /** `--repo DIR` or `--store URL`. */
  where: string[];
  open(): Replica;
}

interface WorkloadResult {
  setup: Setup;
  pushesPerSecond: number;
  pushWallMs: number;
  latencyP50: number;
  latencyP99: number;
  /** Each client's first push, made by all at once before the timing starts: it carries the cloned changesets, which the hub skips. */
  firstPushP50: number;
  pullWallMs: number;
  pullP50: number;
  pullMax: number;
  cpuPerPush: { servers: number; postgres: number; clients: number };
  /** Share of the machine's CPU in use during the pushes. */
  busy: number;
  check: { seed: number; pushed: number; integrated: number; changesets: number; duplicates: number; gaps: number; converged: number; failures: Failure[] };
  ok: boolean;
}

async function runWorkload(setup: Setup, cluster: Cluster, clientScript: string, tmp: string): Promise<WorkloadResult> {
  console.log(`\n${setup.name}: ${CLIENTS} clients × ${PUSHES} pushes`);
  const hub = setup.open();
  const seed = hub.latestSequenceNo();
  const expected = recordSetDigest(hub);
  hub.close();
  const token = readPushToken(setup.where);
  const servers: LiveServer[] = await Promise.all(Array.from({ length: setup.processes }, () => startLiveServer([...setup.where, '--writable'], cliEnv)));
  const stopServers = () => Promise.all(servers.map((s) => s.stop()));
  cleanups.push(() => void stopServers());
  const dir = join(tmp, setup.name.replace(/\W+/g, '-'));
  mkdirSync(dir);
  // Round-robin: client i talks to process i mod N only, and lives in worker i mod WORKERS.
  const specs: ClientSpec[] = Array.from({ length: CLIENTS }, (_, i) => ({ id: i, dir: join(dir, `client-${i}`), url: servers[i % servers.length]!.url }));
  const workers = Array.from({ length: Math.min(WORKERS, CLIENTS) }, () => new Worker(clientScript));
  const failures: Failure[] = [];
  const phase = async <K extends FromWorker['kind']>(message: (w: number) => ToWorker) => {
    const answers = await Promise.all(workers.map((worker, w) => worker.ask<K>(message(w))));
    for (const a of answers) failures.push(...a.failures);
    return answers;
  };
  const machineCpu = () => ({ servers: servers.reduce((n, s) => n + processCpuMs(s.pid), 0), postgres: setup.where[0] === '--store' ? cluster.cpuMs() : 0 });

  const ready = await phase<'ready'>((w) => ({ kind: 'clone', clients: specs.filter((_, i) => i % workers.length === w), token, pushes: PUSHES }));
  console.log(`  ${CLIENTS} clients cloned, each pushed its first changeset; pushing`);
  const cpuBefore = machineCpu();
  const pushStart = performance.now();
  const pushed = await phase<'pushed'>(() => ({ kind: 'push' }));
  const pushWallMs = performance.now() - pushStart;
  const cpuAfter = machineCpu();
  console.log(`  pushed in ${(pushWallMs / 1000).toFixed(1)} s; pulling`);
  const pullStart = performance.now();
  const pulled = await phase<'pulled'>(() => ({ kind: 'pull' }));
  const pullWallMs = performance.now() - pullStart;
  const verified = await phase<'verified'>(() => ({ kind: 'verify' }));
  for (const w of workers) w.stop();
  await stopServers();

  const after = setup.open();
  const log = logCheck(after);
  const final = recordSetDigest(after);
  after.close();
  const pushes = CLIENTS * PUSHES;
  const latencies = pushed.flatMap((p) => p.latenciesMs);
  const pullMs = pulled.flatMap((p) => p.pullMs);
  const clientsCpu = pushed.reduce((n, p) => n + p.cpuMs, 0);
  const converged = verified.flatMap((v) => v.records).filter((r) => r.digest === final.digest).length;
  const firstPushes = ready.flatMap((r) => r.firstPushMs);
  // Every push, the first included, carries one new changeset; the hub must take each exactly once.
  const integrated = [...ready, ...pushed].reduce((n, a) => n + a.integrated, 0);
  const check = { seed, pushed: pushes + CLIENTS, integrated, ...log, converged, failures };
  const creates = CLIENTS * (Math.floor(PUSHES / 2) + 1);
  const ok = log.changesets === seed + check.pushed && integrated === check.pushed && log.duplicates === 0 && log.gaps === 0 && converged === CLIENTS && final.records === expected.records + creates;
  const result: WorkloadResult = {
    setup,
    pushesPerSecond: pushes / (pushWallMs / 1000),
    pushWallMs,
    latencyP50: percentile(latencies, 0.5),
    latencyP99: percentile(latencies, 0.99),
    firstPushP50: percentile(firstPushes, 0.5),
    pullWallMs,
    pullP50: percentile(pullMs, 0.5),
    pullMax: Math.max(...pullMs),
    cpuPerPush: { servers: (cpuAfter.servers - cpuBefore.servers) / pushes, postgres: (cpuAfter.postgres - cpuBefore.postgres) / pushes, clients: clientsCpu / pushes },
    busy: (cpuAfter.servers - cpuBefore.servers + cpuAfter.postgres - cpuBefore.postgres + clientsCpu) / pushWallMs / cpus().length,
    check,
    ok,
  };
  console.log(`  ${result.pushesPerSecond.toFixed(1)} pushes/s, p50 ${result.latencyP50.toFixed(0)} ms, p99 ${result.latencyP99.toFixed(0)} ms; pull ${(pullWallMs / 1000).toFixed(1)} s; ${ok ? 'nothing lost or duplicated' : 'CHECK FAILED'}: ${JSON.stringify({ ...check, failures: failures.length })}`);
  for (const f of failures.slice(0, 5)) console.log(`  failed attempt (retried): client ${f.client}, ${f.phase}: ${f.error}`);
  rmSync(dir, { recursive: true, force: true });
  return result;
}

interface CloneResult {
  changesets: number;
  buildMs: number;
  hubInit: { ms: number; cpuMs: number; postgresCpuMs: number };
  /** Per server, the first clone (packs cut from the log) and the second (packs cached by the process). */
  sqlite: Array<{ ms: number; serverCpuMs: number; postgresCpuMs: number }>;
  hub: Array<{ ms: number; serverCpuMs: number; postgresCpuMs: number }>;
  ok: boolean;
}

async function runClone(cluster: Cluster, tmp: string): Promise<CloneResult> {
  console.log(`\nclone: building a replica of ${CLONE} changesets`);
  mkdirSync(join(tmp, 'big'));
  const built = time(() => build(join(tmp, 'big'), undefined, Math.ceil(CLONE / 2)));
  const source = built.value.source;
  const changesets = source.latestSequenceNo();
  const expected = recordSetDigest(source);
  source.close();
  const url = cluster.createDatabase('clone_hub');
  console.log(`  built in ${(built.ms / 1000).toFixed(1)} s; hub init --from it`);
  const pgBefore = cluster.cpuMs();
  const init = measuredCommand([BIN, 'hub', 'init', '--store', url, '--from', source.root], cliEnv);
  const hubInit = { ms: init.ms, cpuMs: init.cpuMs, postgresCpuMs: cluster.cpuMs() - pgBefore };
  console.log(`  hub init in ${(init.ms / 1000).toFixed(1)} s`);
  const sides: Record<'sqlite' | 'hub', string[]> = { sqlite: ['--repo', source.root], hub: ['--store', url] };
  const tokens = { sqlite: readPushToken(sides.sqlite), hub: readPushToken(sides.hub) };
  const servers = {
    sqlite: await startLiveServer(sides.sqlite, cliEnv),
    hub: await startLiveServer(sides.hub, cliEnv),
  };
  cleanups.push(() => void Promise.all([servers.sqlite.stop(), servers.hub.stop()]));
  const result: CloneResult = { changesets, buildMs: built.ms, hubInit, sqlite: [], hub: [], ok: true };
  for (let round = 0; round < 2; round++) {
    for (const side of ['sqlite', 'hub'] as const) {
      const to = join(tmp, `clone-${side}-${round}`);
      const [serverBefore, pgCloneBefore] = [processCpuMs(servers[side].pid), cluster.cpuMs()];
      const run = measuredCommand([BIN, 'clone', '--from', servers[side].url, '--to', to], { ...cliEnv, PROPHET_TOKEN: tokens[side] });
      result[side].push({ ms: run.ms, serverCpuMs: processCpuMs(servers[side].pid) - serverBefore, postgresCpuMs: cluster.cpuMs() - pgCloneBefore });
      const clone = Replica.open(to, { env });
      const same = clone.latestSequenceNo() === changesets && recordSetDigest(clone).digest === expected.digest;
      clone.close();
      rmSync(to, { recursive: true, force: true });
      if (!same) result.ok = false;
      console.log(`  clone from the ${side} (${round === 0 ? 'first' : 'second'}): ${(run.ms / 1000).toFixed(1)} s${same ? '' : ', DIFFERS from the source'}`);
    }
  }
  await Promise.all([servers.sqlite.stop(), servers.hub.stop()]);
  return result;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (n: number) => n.toLocaleString('en');

function report(workloads: WorkloadResult[], clone: CloneResult, cluster: Cluster, load: { start: number[]; end: number[] }): void {
  const [sqlite, ...hubs] = workloads as [WorkloadResult, ...WorkloadResult[]];
  const hub1 = hubs[0]!;
  const each = (show: (w: WorkloadResult) => string) => workloads.map(show);
  const versus = (w: WorkloadResult) => (w === sqlite ? '' : ` (${(w.pushesPerSecond / sqlite.pushesPerSecond).toFixed(2)}×)`);
  const hubOnly = (cell: string) => [cell, ...hubs.slice(1).map(() => '—')];
  const cloneCell = (c: { ms: number; serverCpuMs: number; postgresCpuMs: number }, pg: boolean) => `${seconds(c.ms)} (server CPU ${seconds(c.serverCpuMs)}${pg ? `, PostgreSQL ${seconds(c.postgresCpuMs)}` : ''})`;
  const rows: string[][] = [
    [`pushes/s (${count(CLIENTS * PUSHES)} pushes, ${CLIENTS} clients at once)`, ...each((w) => `${w.pushesPerSecond.toFixed(1)}${versus(w)}`)],
    ['push latency p50 / p99', ...each((w) => `${w.latencyP50.toFixed(0)} / ${w.latencyP99.toFixed(0)} ms`)],
    [`a client's first push (carries the ${workloads[0]!.check.seed} cloned changesets, which the hub skips; all clients at once, untimed above), p50`, ...each((w) => `${w.firstPushP50.toFixed(0)} ms`)],
    [`pull of everything, ${CLIENTS} clients at once: wall; per client p50 / max`, ...each((w) => `${seconds(w.pullWallMs)}; ${seconds(w.pullP50)} / ${seconds(w.pullMax)}`)],
    ['CPU per push: server processes / PostgreSQL / clients', ...each((w) => `${w.cpuPerPush.servers.toFixed(1)} / ${w.cpuPerPush.postgres.toFixed(1)} / ${w.cpuPerPush.clients.toFixed(1)} ms`)],
    [`machine CPU in use while pushing (of ${cpus().length} cores)`, ...each((w) => `${(w.busy * 100).toFixed(0)}%`)],
    ['hub log after: changesets = seed + pushed (first pushes included); duplicate (origin uuid, origin seq); gaps in seq', ...each((w) => `${count(w.check.changesets)} ${w.check.changesets === w.check.seed + w.check.pushed ? '=' : '≠'} ${w.check.seed} + ${count(w.check.pushed)}; ${w.check.duplicates}; ${w.check.gaps}`)],
    ['clients holding exactly the hub\'s records after a final pull', ...each((w) => `${w.check.converged}/${CLIENTS}`)],
    ['failed requests (the client retried them)', ...each((w) => `${w.check.failures.length}`)],
    [`\`prophet clone --from http://…\` of ${count(clone.changesets)} changesets, first (packs cut from the log)`, cloneCell(clone.sqlite[0]!, false), ...hubOnly(cloneCell(clone.hub[0]!, true))],
    ['the same, second (packs cached by the server process)', cloneCell(clone.sqlite[1]!, false), ...hubOnly(cloneCell(clone.hub[1]!, true))],
    [`\`prophet hub init --from DIR\` of those ${count(clone.changesets)} changesets`, '—', ...hubOnly(`${seconds(clone.hubInit.ms)} (its CPU ${seconds(clone.hubInit.cpuMs)}, PostgreSQL ${seconds(clone.hubInit.postgresCpuMs)})`)],
  ];
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const allOk = workloads.every((w) => w.ok) && clone.ok;
  const targets = [
    `- one PostgreSQL process within 2× of the SQLite server's push throughput: the SQLite server pushes ${ratio(sqlite.pushesPerSecond, hub1.pushesPerSecond)}× as fast: ${met(sqlite.pushesPerSecond <= 2 * hub1.pushesPerSecond)};`,
    `- throughput rising from 1 to 2 processes: ${hub1.pushesPerSecond.toFixed(1)} → ${hubs[1]!.pushesPerSecond.toFixed(1)} pushes/s (${ratio(hubs[1]!.pushesPerSecond, hub1.pushesPerSecond)}×): ${met(hubs[1]!.pushesPerSecond > hub1.pushesPerSecond)};`,
    `- clone from the hub within 1.5× of the SQLite server: ${ratio(clone.hub[0]!.ms, clone.sqlite[0]!.ms)}× (first clones): ${met(clone.hub[0]!.ms <= 1.5 * clone.sqlite[0]!.ms)};`,
    `- nothing lost or duplicated (every check above, and each clone holds the source's records): ${allOk ? 'met' : '**FAILED**'}.`,
  ];
  const hubCpu = hub1.cpuPerPush.servers + hub1.cpuPerPush.postgres;
  const sqliteCpu = sqlite.cpuPerPush.servers;
  const curve = hubs.map((w) => w.pushesPerSecond.toFixed(1)).join(' → ');
  // Above this share of the cores in use with one process, a second has none left to fill its waits with.
  const busiest = Math.round(hub1.busy * 100);
  const machineBusy = busiest >= 80;
  const prediction = [
    `**The curve, 1, 2, 3 processes:** ${curve} pushes/s. Clients, servers and PostgreSQL share this machine's ${cpus().length} cores (and other work on it: see the load), so the curve shows how the hub uses the cores it has, not how it would grow with more.`,
    `**Where the time goes.** A server process merges one push at a time. The SQLite server spends ${(1000 / sqlite.pushesPerSecond).toFixed(1)} ms of wall time per push, ${sqliteCpu.toFixed(1)} ms of it CPU; the rest is its durable commit and waiting on the others for a core. One hub process spends ${(1000 / hub1.pushesPerSecond).toFixed(1)} ms per push: ${hub1.cpuPerPush.servers.toFixed(1)} ms of its own CPU (its PostgreSQL thread included), ${hub1.cpuPerPush.postgres.toFixed(1)} ms of PostgreSQL's, and ${(1000 / hub1.pushesPerSecond - hubCpu).toFixed(1)} ms waiting, mostly on its round trips to PostgreSQL, made one after the other. ${machineBusy ? `The machine's cores were ${busiest}% busy with one hub process, its PostgreSQL and the clients, so a second process had no core to use: on this machine the curve measures CPU per push, not what more processes can do.` : 'A second process fills those waits, which is why it helps here.'}`,
    `**Clone and seeding.** A clone costs either server little CPU (${seconds(clone.sqlite[0]!.serverCpuMs)} and ${seconds(clone.hub[0]!.serverCpuMs + clone.hub[0]!.postgresCpuMs)} with PostgreSQL's, of ${seconds(clone.sqlite[0]!.ms)} and ${seconds(clone.hub[0]!.ms)}): its time is the cloning client's own work, so the two differ by that client's luck on a shared machine. Seeding the hub is the slow part: \`hub init --from\` integrates ${Math.round(clone.changesets / (clone.hubInit.ms / 1000))} changesets/s, ${(clone.hubInit.ms / clone.sqlite[0]!.ms).toFixed(0)}× the time of the clone into SQLite.`,
    `**What it predicts.** A push costs the hub ${hubCpu.toFixed(1)} ms of CPU against the SQLite server's ${sqliteCpu.toFixed(1)} ms. With the clients on machines of their own, each core given to the hub's processes and PostgreSQL carries at most about ${(1000 / hubCpu).toFixed(0)} pushes/s, so k cores, with enough processes to fill the waits (two or three per core here), should carry about k × ${(1000 / hubCpu).toFixed(0)} pushes/s, until the database's write lock, which lets one push's transaction run at a time across all processes, is busy all the time. That ceiling, 1000 ms over the time a push holds the lock, is not reached on ${cpus().length} cores and so not measured here. A single SQLite server cannot use a second core for its merges at all (at most about ${(1000 / sqliteCpu).toFixed(0)} pushes/s of CPU, fewer with its commits).`,
  ].join('\n\n');
  const intro = [
    `Load average ${load.start.map((l) => l.toFixed(2)).join(' ')} at the start, ${load.end.map((l) => l.toFixed(2)).join(' ')} at the end (shared machine); ${(totalmem() / 2 ** 30).toFixed(1)} GiB of memory.`,
    `PostgreSQL ${cluster.version}, a private cluster on 127.0.0.1 made by test/hub/pg-setup.sh, with fsync, synchronous_commit and full_page_writes off (as the tests run it); the SQLite server keeps its normal durable settings.`,
    `Each configuration starts from a hub holding ${SEED_RECORDS} records (${hub1.check.seed} changesets), cloned by each of ${CLIENTS} clients. Each client first pushes one changeset, untimed: that push also carries the changesets it cloned, which the hub skips. Then, timed, each pushes ${PUSHES} changesets, one small create or update of its own records per changeset and one changeset per push (\`pushOverHttp\`), then, once every client has pushed, all pull everything (\`pull\`), then once more to check.`,
    `The hub's processes are \`node bin/prophet.js server --store postgres://… --writable\`, each on its own port, on one database; client i talks to process i mod N only (round-robin, no load balancer).`,
    `The clients run in ${WORKERS} worker processes (bench/hub-client.ts, ${Math.ceil(CLIENTS / WORKERS)} clients each on its event loop), at niceness ${CLIENT_NICENESS}: on ${cpus().length} cores they compete with the servers, and running them below the servers and PostgreSQL is the nearest this machine comes to clients on machines of their own. Their CPU per push is shown, so their share is visible.`,
    `A failed request is retried by the client (up to 5 times) and counted. Latency is a push's GET tickets and POST, retries included. CPU times are from /proc (servers with their PostgreSQL threads, PostgreSQL's processes all together) and process.cpuUsage (clients).`,
    `Run: \`npm run bench:hub\` (HUB_BENCH_CLIENTS=${CLIENTS} HUB_BENCH_PUSHES=${PUSHES} HUB_BENCH_CLONE=${CLONE} HUB_BENCH_WORKERS=${WORKERS}).`,
  ].join(' ');
  writeResults('hub', 'Hub on PostgreSQL (issue 15)', rows, {
    columns: ['measure', 'SQLite server', ...hubs.map((w) => `hub, ${w.setup.processes} process${w.setup.processes === 1 ? '' : 'es'}`)],
    intro,
    outro: [`**Targets:**`, '', ...targets, '', prediction].join('\n'),
  });
  if (!allOk) process.exitCode = 1;
}

async function main(): Promise<void> {
  const load = { start: loadavg(), end: [] as number[] };
  const tmp = mkdtempSync('/var/tmp/prophet-bench-hub-');
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  cliEnv = { ...cliEnv, HOME: join(tmp, 'home') };
  const cluster = await startCluster();
  cleanups.push(() => cluster.stop());
  console.log(`PostgreSQL ${cluster.version} on port ${cluster.port}`);
  const clientScript = bundleChild('hub-client');

  mkdirSync(join(tmp, 'seed'));
  const seed = build(join(tmp, 'seed'), undefined, SEED_RECORDS).source;
  seed.close();
  const setups: Setup[] = [];
  const sqliteDir = join(tmp, 'sqlite-server');
  (await cloneFromSource(LocalReplicaSource.open(seed.root), sqliteDir, { env })).replica.close();
  setups.push({ name: 'SQLite server', processes: 1, where: ['--repo', sqliteDir], open: () => Replica.open(sqliteDir, { env }) });
  for (const n of HUB_PROCESSES) {
    const url = cluster.createDatabase(`hub_${n}`);
    prophet(['hub', 'init', '--store', url, '--from', seed.root]);
    setups.push({ name: `hub, ${n} process${n === 1 ? '' : 'es'}`, processes: n, where: ['--store', url], open: () => openHub(url, 'prophet', { env }) });
  }
  const workloads: WorkloadResult[] = [];
  for (const setup of setups) workloads.push(await runWorkload(setup, cluster, clientScript, tmp));
  const clone = await runClone(cluster, tmp);
  load.end = loadavg();
  report(workloads, clone, cluster, load);
}

try {
  await main();
} finally {
  cleanUp();
}
