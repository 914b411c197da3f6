import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface LiveServer {
  url: string;
  pid: number;
  /** Asks it to stop; resolves once it has exited. */
  stop: () => Promise<void>;
}

/**
 * `prophet server` in its own process, as it runs for real (the built
 * bin/, so run npm run build first), with `args` after `server`: `--repo
 * DIR` or `--store URL`, `--writable`... It listens on a port of its own
 * choosing unless `args` names one; resolves with its URL once it listens.
 */
export function startLiveServer(args: string[], env: NodeJS.ProcessEnv): Promise<LiveServer> {
  const bin = resolve(import.meta.dirname, '../bin/prophet.js');
  const child = spawn(process.execPath, [bin, 'server', ...(args.includes('--port') ? [] : ['--port', '0']), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((done, fail) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/\S+\/)/.exec(out);
      if (m) done({ url: m[1]!, pid: child.pid!, stop: () => (child.exitCode === null && child.kill('SIGTERM'), exited) });
    });
    child.once('exit', (code) => fail(new Error(`prophet server exited ${code} (run npm run build first): ${err.trim()}`)));
  });
}
