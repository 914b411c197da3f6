import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'prophet-bench-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { seededRandom } from '../test/helpers/seeded-random.js';
