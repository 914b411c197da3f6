import { spawn } from 'node:child_process';
import { join } from 'node:path';

const SD = join(import.meta.dirname, '..', 'bin', 'sd.js');

/**
 * Runs `sd` as a child process without blocking this one (the server it
 * talks to, a proxy or a fake, may live in this process): its stdout and
 * how long it took. A failure throws with its stderr.
 */
export async function runSd(env: NodeJS.ProcessEnv, args: string[]): Promise<{ s: number; out: string }> {
  const start = Date.now();
  const child = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, [SD, ...args], { env });
    let out = '';
    let err = '';
    c.stdout.on('data', (b: Buffer) => (out += b));
    c.stderr.on('data', (b: Buffer) => (err += b));
    c.on('close', (code: number | null) => resolve({ code, out, err }));
  });
  if (child.code !== 0) throw new Error(`sd ${args.join(' ')} failed: ${child.err}`);
  return { s: (Date.now() - start) / 1000, out: child.out };
}
