import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { RunResult } from '../cli/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const EDIT_LOOP = join(import.meta.dirname, 'fixtures/edit-loop.mjs');
export const PROPHET = join(ROOT, 'bin/prophet.js');
export const SD = join(ROOT, 'bin/sd.js');

export interface Running {
  /** Resolves when the process has printed `line` on stdout. */
  printed(line: string): Promise<void>;
  done: Promise<RunResult>;
  pid: number;
}

/** Starts `node script args` without waiting for it, so several run at once. */
export function start(script: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Running {
  const child = spawn(process.execPath, [script, ...args], { env, cwd });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
    for (const w of waiters) w();
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const done = new Promise<RunResult>((resolveDone) => child.on('close', (code, signal) => resolveDone({ code: code ?? (signal ? 128 : -1), stdout, stderr })));
  return {
    pid: child.pid!,
    done,
    printed: (line) =>
      new Promise((resolvePrinted, reject) => {
        const check = () => stdout.split('\n').includes(line) && resolvePrinted();
        waiters.push(check);
        check();
        void done.then(() => reject(new Error(`exited before printing '${line}': ${stdout}${stderr}`)));
      }),
  };
}
