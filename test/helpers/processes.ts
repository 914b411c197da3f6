import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { RunResult } from '../cli/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const PROPHET = join(ROOT, 'bin/prophet.js');

export interface Exited extends RunResult {
  /** The signal that ended it (SIGKILL when killed), or null when it exited by itself. */
  signal: NodeJS.Signals | null;
}

export interface Running {
  pid: number;
  /** Resolves with the first match of `pattern` in what the process prints on stdout; rejects if it exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<Exited>;
}

/** Starts `node script args` without waiting for it, so several run at once. */
export function start(script: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Running {
  const child = spawn(process.execPath, [script, ...args], { env, cwd });
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
    for (const w of watchers) w();
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const done = new Promise<Exited>((resolveDone) => child.on('close', (code, signal) => resolveDone({ code: code ?? -1, signal, stdout, stderr })));
  return {
    pid: child.pid!,
    done,
    waitFor: (pattern) =>
      new Promise((resolveMatch, reject) => {
        const check = () => {
          const m = pattern.exec(stdout);
          if (m) resolveMatch(m);
        };
        watchers.push(check);
        check();
        void done.then(() => reject(new Error(`exited before printing ${pattern}: ${stdout}${stderr}`)));
      }),
  };
}

/** The pid of a process that has exited: what a killed writer leaves in the names of its files. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}
