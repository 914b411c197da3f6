import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CountingProxy } from '../test/foreign/counting-proxy.js';

const SD = join(import.meta.dirname, '..', 'bin', 'sd.js');

export interface Timed {
  s: number;
  requests: number;
  out: string;
}

/** Runs sd commands against a foreign tracker behind a counting proxy, timing each and counting its requests. */
export function sdRunner(proxy: CountingProxy, env: NodeJS.ProcessEnv): (label: string, args: string[]) => Promise<Timed> {
  return async (label, args) => {
    proxy.reset();
    const start = Date.now();
    // Asynchronously: the counting proxy lives in this process.
    const child = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const c = spawn(process.execPath, [SD, ...args], { env });
      let out = '';
      let err = '';
      c.stdout.on('data', (b: Buffer) => (out += b));
      c.stderr.on('data', (b: Buffer) => (err += b));
      c.on('close', (code: number | null) => resolve({ code, out, err }));
    });
    if (child.code !== 0) throw new Error(`${label} failed: ${child.err}`);
    const s = (Date.now() - start) / 1000;
    console.log(label, s.toFixed(1), 's', proxy.requests.length, 'requests:', child.out.trim());
    return { s, requests: proxy.requests.length, out: child.out.trim() };
  };
}
