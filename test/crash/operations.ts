/**
 * The operations a crash campaign kills, each as real `prophet` child
 * processes: run it, SIGKILL it (for a push, the server receiving it) a
 * given time after it starts, check what it was writing, retry it, and
 * check the result is whole.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProphetError } from '../../src/prophet/model/errors.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import { createToken } from '../../src/prophet/server/tokens.js';
import { clone } from '../../src/prophet/replication/operations.js';
import { MANIFEST_FILE, parseManifest } from '../../src/prophet/transports/manifest.js';
import { PROPHET, start, type Exited } from '../helpers/processes.js';
import { check, classify, expectState, inspectReplica, type Outcome } from './checks.js';
import { copyOf, type Scenario } from './scenario.js';

export const OPERATION_NAMES = ['clone', 'pull', 'publish', 'push'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export interface TrialOutcome {
  /** Whether the kill came before the operation ended by itself. */
  killed: boolean;
  /** The state the kill left the written replica (or folder) in. */
  outcome: Outcome;
  /** How long the operation ran, to its end or its kill. */
  ms: number;
  /** Staging directories or temporary files the kill left (the next clone or publish must remove them). */
  leftBehind?: number;
}

/** One trial: `dir` is its own scratch directory; `killAfterMs` Infinity runs the operation to its end. */
export type Trial = (dir: string, scenario: Scenario, killAfterMs: number) => Promise<TrialOutcome>;

interface Run {
  exited: Exited;
  killed: boolean;
  ms: number;
}

/** Runs a prophet command line, killing `victim` (by default the command itself) after `killAfterMs`. */
async function runKilling(args: string[], env: NodeJS.ProcessEnv, killAfterMs: number, victim?: { pid: number; done: Promise<Exited> }): Promise<Run> {
  const started = Date.now();
  const child = start(PROPHET, args, env);
  const target = victim ?? child;
  let killed = false;
  const timer = Number.isFinite(killAfterMs)
    ? setTimeout(() => {
        killed = true;
        process.kill(target.pid, 'SIGKILL');
      }, killAfterMs)
    : undefined;
  const exited = await child.done;
  clearTimeout(timer);
  return { exited, killed, ms: Date.now() - started };
}

/** Runs a prophet command line that must succeed. */
async function prophet(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const exited = await start(PROPHET, args, env).done;
  check(exited.code === 0, `prophet ${args.join(' ')} exited ${exited.code}: ${exited.stderr.trim()}`);
  return exited.stdout;
}

/** A command that ran to its end succeeded; one whose peer was killed failed with one line, never as an internal error. */
function checkExit(run: Run, what: string, peerKilled = false): void {
  if (run.killed && !peerKilled) return;
  if (!peerKilled) check(run.exited.code === 0, `${what} exited ${run.exited.code}: ${run.exited.stderr.trim()}`);
  else check(run.exited.code === 0 || (run.exited.code === 1 && run.exited.stderr.trim().split('\n').length === 1), `${what} exited ${run.exited.code} when the server died: ${run.exited.stderr.trim()}`);
}

function stagingIn(parent: string): string[] {
  return readdirSync(parent).filter((f) => f.includes('.cloning-')).map((f) => join(parent, f));
}

const cloneTrial: Trial = async (dir, s, killAfterMs) => {
  const parent = join(dir, 'clones');
  mkdirSync(parent);
  const target = join(parent, 'copy');
  const args = ['clone', '--from', s.source, '--to', target];
  const run = await runKilling(args, s.env, killAfterMs);
  checkExit(run, 'clone');
  const outcome: Outcome = existsSync(join(target, 'db.sqlite')) ? 'after' : 'before';
  if (outcome === 'after') expectState(target, s.env, s.full, 'the clone');
  const leftBehind = stagingIn(parent).length;
  for (const staged of stagingIn(parent)) {
    let refusal: unknown;
    try {
      Replica.open(staged, { env: s.env }).close();
    } catch (err) {
      refusal = err;
    }
    check(refusal instanceof ProphetError && /unfinished clone/.test(refusal.message), `${staged} opened as a replica: ${String(refusal)}`);
  }
  if (outcome === 'before') await prophet(args, s.env);
  expectState(target, s.env, s.full, 'the retried clone');
  if (stagingIn(parent).length) await prophet(['clone', '--from', s.source, '--to', join(parent, 'later')], s.env);
  check(stagingIn(parent).length === 0, `staging left after a later clone: ${stagingIn(parent).join(', ')}`);
  return { killed: run.killed, outcome, ms: run.ms, leftBehind };
};

const pullTrial: Trial = async (dir, s, killAfterMs) => {
  const env = { ...s.env, PROPHET_REPO: copyOf(s.earlyClone, join(dir, 'target')) };
  const run = await runKilling(['pull', '--from', s.source], env, killAfterMs);
  checkExit(run, 'pull');
  const state = inspectReplica(env.PROPHET_REPO, env);
  const outcome = classify(state.latest, s.early, s.full, 'the pull');
  if (outcome === 'before') check(state.live === s.early.live, `the pull left the log as before but ${state.live} records`);
  if (outcome !== 'after') await prophet(['pull', '--from', s.source], env);
  expectState(env.PROPHET_REPO, env, s.full, 'the pulled replica');
  return { killed: run.killed, outcome, ms: run.ms };
};

/** The log length a published folder's manifest claims, after checking a clone from the folder holds just that. */
async function checkPublication(folder: string, s: Scenario, into: string): Promise<number> {
  const path = join(folder, MANIFEST_FILE);
  const latest = parseManifest(readFileSync(path, 'utf8'), path).replica.latest_sequence_no;
  (await clone(folder, into, { env: s.env })).replica.close();
  expectState(into, s.env, latest === s.full.latest ? s.full : s.early, 'a clone of the publication');
  return latest;
}

/** Files a killed writer left half-written: `NAME.tmp-PID-N`. */
function temporaryFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-\d+(-\d+)?$/.test(f));
}

const publishTrial: Trial = async (dir, s, killAfterMs) => {
  const folder = copyOf(s.earlyPublication, join(dir, 'published'));
  const env = { ...s.env, PROPHET_REPO: s.source };
  const run = await runKilling(['publish', '--to', folder], env, killAfterMs);
  checkExit(run, 'publish');
  const leftBehind = temporaryFiles(folder).length;
  const latest = await checkPublication(folder, s, join(dir, 'from-publication'));
  const outcome = classify(latest, s.early, s.full, 'the publication');
  check(outcome !== 'between', 'a publication is one manifest: it has no batches');
  if (outcome === 'before') await prophet(['publish', '--to', folder], env);
  check((await checkPublication(folder, s, join(dir, 'from-republication'))) === s.full.latest, 'the publication is not whole after publishing again');
  check(temporaryFiles(folder).length === 0, `temporary files left in the publication: ${temporaryFiles(folder).join(', ')}`);
  return { killed: run.killed, outcome, ms: run.ms, leftBehind };
};

/** Starts `prophet server --writable` on a free port; returns it with its URL. */
async function serve(env: NodeJS.ProcessEnv): Promise<{ url: string; server: ReturnType<typeof start> }> {
  const server = start(PROPHET, ['server', '--writable', '--port', '0'], env);
  const url = (await server.waitFor(/ at (http:\/\/\S+) /))[1]!;
  return { url, server };
}

const pushTrial: Trial = async (dir, s, killAfterMs) => {
  const serverEnv = { ...s.env, PROPHET_REPO: copyOf(s.earlyClone, join(dir, 'server')) };
  const owner = Replica.open(serverEnv.PROPHET_REPO, { env: s.env });
  const { token } = createToken(owner);
  owner.close();
  const pusherEnv = { ...s.env, PROPHET_REPO: copyOf(s.source, join(dir, 'pusher')) };
  const push = (url: string) => ['push', '--to', url, '--token', token];

  const { url, server } = await serve(serverEnv);
  const run = await runKilling(push(url), pusherEnv, killAfterMs, server);
  if (!run.killed) process.kill(server.pid, 'SIGKILL');
  await server.done;
  checkExit(run, 'the push', run.killed);
  const state = inspectReplica(serverEnv.PROPHET_REPO, s.env);
  const outcome = classify(state.latest, s.early, s.full, "the server's replica");

  const again = await serve(serverEnv);
  try {
    if (outcome !== 'after') await prophet(push(again.url), pusherEnv);
  } finally {
    process.kill(again.server.pid, 'SIGTERM');
    await again.server.done;
  }
  expectState(serverEnv.PROPHET_REPO, s.env, s.full, "the server's replica after the push is retried");
  return { killed: run.killed, outcome, ms: run.ms };
};

export const TRIALS: Record<OperationName, Trial> = { clone: cloneTrial, pull: pullTrial, publish: publishTrial, push: pushTrial };
