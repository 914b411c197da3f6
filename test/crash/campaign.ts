/**
 * A seeded crash campaign: trials of clone, pull, publish and a push into
 * a writable server, each SIGKILLed at a random instant of its run, each
 * checked for a before-or-after state, a sound file, and a retry that
 * completes (operations.ts). The seed decides the replicas' contents, the
 * order of operations and where in each run the kill falls, as a fraction
 * of the operation's measured duration; the instant itself moves with the
 * machine's load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROPHET, start } from '../helpers/processes.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { CrashCheckFailure, type Outcome } from './checks.js';
import { OPERATION_NAMES, TRIALS, type OperationName } from './operations.js';
import { buildScenario, type Scenario, type ScenarioSize } from './scenario.js';

export interface CampaignOptions {
  seed: number;
  trials: number;
  size?: ScenarioSize;
  /** Durations measured by an earlier campaign of the same size, to skip measuring them again (updated as trials run). */
  calibration?: Calibration;
  /** Keep the scratch directories of failed trials (for a person to look at). */
  keepFailures?: boolean;
  log?: (line: string) => void;
}

export interface TrialResult {
  seed: number;
  trial: number;
  op: OperationName;
  killAfterMs: number;
  killed?: boolean;
  outcome?: Outcome;
  /** Staging directories or temporary files the kill left, all removed by the retry or a later run. */
  leftBehind?: number;
  failure?: string;
  /** Where a kept failed trial is. */
  dir?: string;
}

/** What kill instants are drawn from, in ms. */
export interface Calibration {
  /** Each operation's uninterrupted run. */
  durations: Record<OperationName, number>;
  /** A process's start-up: opening a replica and answering. */
  startup: number;
}

export interface CampaignReport {
  seed: number;
  calibration: Calibration;
  results: TrialResult[];
}

export const DEFAULT_SIZE: ScenarioSize = { changesets: 1200, early: 200 };

/** How long a prophet process takes to open a replica and answer: the part of every run before it writes anything. */
async function startupMs(replica: string, env: NodeJS.ProcessEnv): Promise<number> {
  const began = Date.now();
  const exited = await start(PROPHET, ['info'], { ...env, PROPHET_REPO: replica }).done;
  if (exited.code !== 0) throw new Error(`prophet info failed: ${exited.stderr}`);
  return Date.now() - began;
}

/** Runs each operation once to its end (checked like any trial) and times it. */
async function calibrate(root: string, scenario: Scenario): Promise<Calibration> {
  const durations = {} as Record<OperationName, number>;
  for (const op of OPERATION_NAMES) durations[op] = (await TRIALS[op](mkdtempSync(join(root, `calibrate-${op}-`)), scenario, Infinity)).ms;
  return { durations, startup: await startupMs(scenario.source, scenario.env) };
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const root = mkdtempSync(join(tmpdir(), `prophet-crash-${opts.seed}-`));
  const log = opts.log ?? (() => {});
  let keep = false;
  try {
    const scenario = await buildScenario(join(root, 'scenario'), opts.size ?? DEFAULT_SIZE, opts.seed);
    const calibration = opts.calibration ?? (await calibrate(root, scenario));
    const { durations, startup } = calibration;
    log(`seed ${opts.seed}: uninterrupted runs (ms): ${JSON.stringify(durations)}; start-up ${startup} ms`);
    const rand = seededRandom(opts.seed);
    const results: TrialResult[] = [];
    for (let trial = 0; trial < opts.trials; trial++) {
      // Each operation in turn, so a few trials cover all four. The kill
      // falls anywhere from late in the process's start-up (before it, it
      // could only ever find the before state) to a little past the usual end.
      const op = OPERATION_NAMES[trial % OPERATION_NAMES.length]!;
      const earliest = Math.min(0.8 * startup, durations[op]);
      const killAfterMs = Math.round(earliest + rand() * (1.1 * durations[op] - earliest));
      const dir = mkdtempSync(join(root, `trial-${trial}-${op}-`));
      const result: TrialResult = { seed: opts.seed, trial, op, killAfterMs };
      try {
        const { killed, outcome, leftBehind, ms } = await TRIALS[op](dir, scenario, killAfterMs);
        Object.assign(result, { killed, outcome, leftBehind });
        // A run that ended before its kill measured the operation again: follow the machine's load.
        if (!killed) durations[op] = Math.round((durations[op] + ms) / 2);
      } catch (err) {
        // A check that failed, or a replica that would not even open: both are findings.
        result.failure = err instanceof CrashCheckFailure ? err.message : String(err);
        if (opts.keepFailures) {
          keep = true;
          result.dir = dir;
        }
      }
      if (!result.dir) rmSync(dir, { recursive: true, force: true });
      log(`seed ${opts.seed} trial ${trial}: ${op} killed after ${killAfterMs} ms: ${result.failure ? `FAILED: ${result.failure}` : `${result.killed ? 'killed' : 'had finished'}, ${result.outcome}${result.leftBehind ? `, left ${result.leftBehind} behind` : ''}`}`);
      results.push(result);
    }
    return { seed: opts.seed, calibration, results };
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

/** Counts per operation and outcome, for a person. */
export function summarize(results: TrialResult[]): string[] {
  const rows = new Map<string, number>();
  for (const r of results) {
    const key = `${r.op}: ${r.failure ? 'FAILED' : `${r.killed ? 'killed' : 'finished first'}, ${r.outcome}${r.leftBehind ? ', left litter (then removed)' : ''}`}`;
    rows.set(key, (rows.get(key) ?? 0) + 1);
  }
  return [...rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, n]) => `  ${key}: ${n}`);
}
