import { spawn } from 'node:child_process';
import { PROPHET_BIN, type RunResult, type Sandbox } from './helpers.js';

/**
 * Runs prophet as a child without blocking this process: a server the
 * child talks to may live here (Sandbox.run's spawnSync would starve it).
 */
export function runAsync(box: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const child = spawn(process.execPath, [PROPHET_BIN, ...args], { env: { ...box.env, ...env }, cwd: box.dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

/** Starts `prophet server` as a child process; resolves with the URL it prints and a way to stop it. */
export function startServerChild(box: Sandbox, args: string[]): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [PROPHET_BIN, 'server', '--port', '0', ...args], { env: box.env, cwd: box.dir });
  const stop = () => {
    child.kill('SIGTERM');
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /at (http:\/\/\S+\/)/.exec(out);
      if (m) resolve({ url: m[1]!, stop });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}
