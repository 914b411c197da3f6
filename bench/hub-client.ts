/**
 * One of bench/hub.ts's client workers: a process hosting several clients,
 * each a replica cloned from the server it is given, all running at once
 * on this process's event loop. Driven over IPC, one phase per message, so
 * the parent starts every worker's phase at the same moment:
 *
 *   clone  each client clones its server and pushes its first changeset,
 *          which carries the changesets it cloned for the hub to skip → ready
 *   push   each client makes and pushes PUSHES more changesets, one per push → pushed
 *   pull   each client pulls everything           → pulled
 *   verify each client pulls again, fingerprints its records → verified
 *
 * Bundled by bench/hub.ts (bundleChild) and forked with plain node.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clone, pull, pushOverHttp } from '../src/prophet/replication/operations.js';
import type { Replica } from '../src/prophet/replica/replica.js';
import { BENCH_TYPE, recordSetDigest } from './hub-verify.js';

export interface ClientSpec {
  /** Its number, from 0. */
  id: number;
  /** Its directory: its replica goes in `replica`, its HOME is `home`. */
  dir: string;
  /** The server it clones, pushes to and pulls from. */
  url: string;
}

export type ToWorker = { kind: 'clone'; clients: ClientSpec[]; token: string; pushes: number } | { kind: 'push' } | { kind: 'pull' } | { kind: 'verify' };

/** A failed attempt, kept to be reported; the client tries again (tickets make a repeated push harmless). */
export interface Failure {
  client: number;
  phase: string;
  error: string;
}

export type FromWorker =
  | { kind: 'ready'; firstPushMs: number[]; integrated: number; cpuMs: number; failures: Failure[] }
  | { kind: 'pushed'; latenciesMs: number[]; integrated: number; cpuMs: number; failures: Failure[] }
  | { kind: 'pulled'; pullMs: number[]; integrated: number; cpuMs: number; failures: Failure[] }
  | { kind: 'verified'; records: Array<{ records: number; digest: string }>; cpuMs: number; failures: Failure[] };

/** An answer before its CPU time and failures are added. */
type WithoutUsage<T> = T extends unknown ? Omit<T, 'cpuMs' | 'failures'> : never;

const ATTEMPTS = 5;

interface Client {
  id: number;
  replica: Replica;
  /** Its own person: a HOME for its signing key, and an e-mail address. */
  env: NodeJS.ProcessEnv;
  url: string;
  /** The records it created, which its updates change: a client writes only its own, so no push conflicts. */
  own: string[];
}

let clients: Client[] = [];
let token = '';
let pushes = 0;
let failures: Failure[] = [];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** `fn` until it succeeds, each failure noted; the last failure is thrown. */
async function retried<T>(client: number, phase: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      failures.push({ client, phase, error: (err as Error).message });
      if (attempt === ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

/** One small change: a new record on even turns, else an update of one of the client's own. */
function edit(c: Client, turn: number): void {
  if (turn % 2 === 0 || c.own.length === 0) {
    c.own.push(c.replica.create(BENCH_TYPE, { summary: `client ${c.id} change ${turn}`, status: 'new' }).uuid);
  } else {
    c.replica.update(BENCH_TYPE, c.own[turn % c.own.length]!, { status: `seen ${turn}` });
  }
}

/** Makes the client's changeset of this turn and pushes it: the latency, and how many changesets the hub took. */
async function pushTurn(c: Client, turn: number): Promise<{ ms: number; integrated: number }> {
  edit(c, turn);
  const start = performance.now();
  const report = await retried(c.id, 'push', () => pushOverHttp(c.replica, c.url, { token, attempts: 1 }));
  return { ms: performance.now() - start, integrated: report.changesets.integrated };
}

async function pushAll(c: Client): Promise<{ latencies: number[]; integrated: number }> {
  const latencies: number[] = [];
  let integrated = 0;
  for (let turn = 1; turn <= pushes; turn++) {
    const { ms, integrated: n } = await pushTurn(c, turn);
    latencies.push(ms);
    integrated += n;
  }
  return { latencies, integrated };
}

async function run(message: ToWorker): Promise<FromWorker> {
  const before = cpuMs();
  failures = [];
  const done = (m: WithoutUsage<FromWorker>): FromWorker => ({ ...m, cpuMs: cpuMs() - before, failures });
  switch (message.kind) {
    case 'clone': {
      ({ token, pushes } = message);
      clients = await Promise.all(
        message.clients.map(async (spec) => {
          mkdirSync(spec.dir, { recursive: true });
          const env = { HOME: join(spec.dir, 'home'), PROPHET_EMAIL: `client-${spec.id}@example.com` };
          const { replica } = await retried(spec.id, 'clone', () => clone(spec.url, join(spec.dir, 'replica'), { token, env }));
          // A client's own durability is not what is measured.
          replica.skipSyncs();
          return { id: spec.id, replica, env, url: spec.url, own: [] };
        }),
      );
      const first = await Promise.all(clients.map((c) => pushTurn(c, 0)));
      return done({ kind: 'ready', firstPushMs: first.map((f) => f.ms), integrated: first.reduce((n, f) => n + f.integrated, 0) });
    }
    case 'push': {
      const results = await Promise.all(clients.map((c) => pushAll(c)));
      return done({ kind: 'pushed', latenciesMs: results.flatMap((r) => r.latencies), integrated: results.reduce((n, r) => n + r.integrated, 0) });
    }
    case 'pull': {
      const results = await Promise.all(
        clients.map(async (c) => {
          const start = performance.now();
          const report = await retried(c.id, 'pull', () => pull(c.replica, c.url, { token, env: c.env }));
          return { ms: performance.now() - start, integrated: report.changesets.integrated };
        }),
      );
      return done({ kind: 'pulled', pullMs: results.map((r) => r.ms), integrated: results.reduce((n, r) => n + r.integrated, 0) });
    }
    case 'verify': {
      const records = [];
      for (const c of clients) {
        await retried(c.id, 'final pull', () => pull(c.replica, c.url, { token, env: c.env }));
        records.push(recordSetDigest(c.replica));
        c.replica.close();
      }
      return done({ kind: 'verified', records });
    }
  }
}

process.on('message', (message: ToWorker) => {
  run(message).then(
    (answer) => process.send!(answer),
    (err: Error) => {
      console.error(`hub client worker: ${message.kind} failed: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
});
