import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Peak resident memory, sampled while a benchmark runs. */
export class PeakMemory {
  private peak = process.memoryUsage().rss;
  private readonly timer = setInterval(() => this.sample(), 5);

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** The wall time of an asynchronous `fn`, and what it gave. */
export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** The median of `runs` timings of `fn`, in milliseconds. */
export function median(runs: number, fn: () => unknown): number {
  return spread(Array.from({ length: runs }, () => time(fn).ms)).median;
}

/** The median and range of some timings (or sizes). */
export function spread(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

/** Median wall time of a command line run `runs` times as a child process of node, and how many lines its last run printed. */
export function commandTime(argv: string[], env: NodeJS.ProcessEnv, runs: number): { ms: number; lines: number } {
  const timings: number[] = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const { ms, value } = time(() => spawnSync(process.execPath, argv, { env, maxBuffer: 1 << 28 }));
    if (value.status !== 0) throw new Error(`${argv.join(' ')} failed: ${value.stderr.toString()}`);
    lines = value.stdout.toString().split('\n').filter(Boolean).length;
    timings.push(ms);
  }
  return { ms: spread(timings).median, lines };
}

/**
 * Loaded into a child with --import: when it exits it writes its peak
 * resident memory in bytes and the CPU time it used (user and system, ms)
 * to BENCH_RSS_FILE. Linux's VmHWM, not getrusage's maxRSS: the kernel
 * carries maxRSS over from the parent at fork and exec, so a child of a big
 * benchmark process would report the parent's size. Elsewhere it falls
 * back to maxRSS. CPU time is what a loaded machine changes least.
 */
const PEAK_RSS_HOOK = `data:text/javascript,${encodeURIComponent(`
import { readFileSync, writeFileSync } from "node:fs";
process.on("exit", () => {
  let status = "";
  try { status = readFileSync("/proc/self/status", "utf8"); } catch {}
  const kib = /^VmHWM:\\s*(\\d+) kB/m.exec(status)?.[1] ?? process.resourceUsage().maxRSS;
  const cpu = process.cpuUsage();
  writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRss: Number(kib) * 1024, cpuMs: (cpu.user + cpu.system) / 1000 }));
});`)}`;
let rssFiles = 0;

/** What a child reported of itself as it exited. */
export interface ChildUsage {
  /** Peak resident memory of that process alone, in bytes. */
  maxRss: number;
  /** CPU time it used, user and system, in milliseconds. */
  cpuMs: number;
}

/**
 * A node command line set up to report its peak memory and CPU time
 * (of that process alone, whatever it runs): spawn `process.execPath`
 * with `argv` and `env`, and call `usage()` once it has exited.
 */
export function withPeakRss(argv: string[], env: NodeJS.ProcessEnv): { argv: string[]; env: NodeJS.ProcessEnv; usage: () => ChildUsage } {
  const file = join(tmpdir(), `prophet-bench-rss-${process.pid}-${rssFiles++}`);
  return {
    argv: ['--import', PEAK_RSS_HOOK, ...argv],
    env: { ...env, BENCH_RSS_FILE: file },
    usage: () => {
      const usage = JSON.parse(readFileSync(file, 'utf8')) as ChildUsage;
      rmSync(file);
      return usage;
    },
  };
}

/** One run of a node command line as a child: wall time, its peak memory and CPU time, and what it printed. */
export function measuredCommand(argv: string[], env: NodeJS.ProcessEnv): ChildUsage & { ms: number; stdout: string } {
  const child = withPeakRss(argv, env);
  const { ms, value } = time(() => spawnSync(process.execPath, child.argv, { env: child.env, maxBuffer: 1 << 28 }));
  if (value.status !== 0) throw new Error(`${argv.join(' ')} failed: ${value.stderr.toString()}`);
  return { ms, ...child.usage(), stdout: value.stdout.toString() };
}

/** Bytes of all the files under a directory. */
export function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/**
 * A benchmark's child (bench/NAME.ts) as one plain ES module, so it runs
 * under node alone and its memory and CPU are its own, not a TypeScript
 * loader's: the path of the bundle.
 */
export function bundleChild(name: string): string {
  const root = join(import.meta.dirname, '..');
  const outfile = join(root, 'node_modules', '.cache', 'prophet-bench', `${name}.mjs`);
  mkdirSync(join(outfile, '..'), { recursive: true });
  buildSync({ entryPoints: [join(root, 'bench', `${name}.ts`)], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
  return outfile;
}

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'prophet-bench-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { seededRandom } from '../test/helpers/seeded-random.js';
