import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { startServer, type ListenOptions, type RunningServer } from '../../src/prophet/server/listen.js';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { PROPHET_BIN, type Sandbox } from '../cli/helpers.js';

const running: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

/** A `prophet server` over `replica` in this process on a free port of 127.0.0.1, closed after the test. */
export async function serve(replica: Replica, opts: ListenOptions = {}): Promise<RunningServer> {
  const server = await startServer(replica, { port: 0, log: () => undefined, ...opts });
  running.push(server);
  return server;
}

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** One request with an optional JSON body (a string is sent as is) and bearer token. */
export async function call(server: { url: string }, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(new URL(path, server.url), { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What the server printed on stderr so far. */
  stderr(): string;
}

/** Starts `prophet server` as a child process of the sandbox's replica and waits for the URL it prints; stopped after the test. */
export async function startProphetServer(box: Sandbox, args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, [PROPHET_BIN, 'server', '--port', '0', ...args], { env: box.env, cwd: box.dir });
  running.push({ close: () => void child.kill('SIGTERM') });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /at (https?:\/\/\S+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return { url, child, stderr: () => err };
}
