import { spawn } from 'node:child_process';
import { join } from 'node:path';

const SD = join(import.meta.dirname, '..', 'bin', 'sd.js');

/** Runs sd as a child without blocking this process (a proxy or server it talks to may live here). */
export function runSd(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [SD, ...args], { env });
    let out = '';
    let err = '';
    c.stdout.on('data', (b: Buffer) => (out += b));
    c.stderr.on('data', (b: Buffer) => (err += b));
    c.on('close', (code: number | null) => resolve({ code, out, err }));
  });
}
