import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
export const PROPHET_BIN = join(ROOT, 'bin/prophet.js');
export const TEST_APP_BIN = join(ROOT, 'test/cli/fixtures/test-app.mjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A scratch home and replica for one test: every command runs as a child
 * process with HOME, the replica and the identity pointing inside it.
 */
export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'prophet-cli-test-'));
  readonly home = join(this.dir, 'home');
  readonly repo = join(this.dir, 'repo');
  env: NodeJS.ProcessEnv;

  constructor(extraEnv: NodeJS.ProcessEnv = {}) {
    this.env = {
      PATH: process.env.PATH,
      HOME: this.home,
      PROPHET_REPO: this.repo,
      TESTAPP_REPO: this.repo,
      PROPHET_EMAIL: 'alice@example.com',
      ...extraEnv,
    };
    spawnSync('mkdir', ['-p', this.home]);
  }

  run(args: string[], opts: { env?: NodeJS.ProcessEnv; bin?: string; input?: string } = {}): RunResult {
    const r = spawnSync(process.execPath, [opts.bin ?? PROPHET_BIN, ...args], {
      env: { ...this.env, ...opts.env },
      cwd: this.dir,
      encoding: 'utf8',
      input: opts.input,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /**
   * Runs a command without blocking this process, for when a server the
   * child talks to lives here (run's spawnSync would starve it). `prefix`
   * runs it under another program (/usr/bin/time, say).
   */
  start(args: string[], opts: { env?: NodeJS.ProcessEnv; prefix?: string[] } = {}): Promise<RunResult> {
    const [command, ...before] = [...(opts.prefix ?? []), process.execPath];
    const child = spawn(command!, [...before, PROPHET_BIN, ...args], { env: { ...this.env, ...opts.env }, cwd: this.dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  }

  /** Runs a command that must succeed and returns its stdout. */
  ok(args: string[], opts: { env?: NodeJS.ProcessEnv; bin?: string } = {}): string {
    const r = this.run(args, opts);
    if (r.code !== 0) throw new Error(`prophet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  json<T = unknown>(args: string[], opts: { env?: NodeJS.ProcessEnv; bin?: string } = {}): T {
    // Options go before the properties: after `--` everything is a property.
    const at = args.findIndex((a) => a === '--' || a === '--props');
    const withJson = at < 0 ? [...args, '--json'] : [...args.slice(0, at), '--json', ...args.slice(at)];
    return JSON.parse(this.ok(withJson, opts)) as T;
  }

  /** Runs a command that must fail and returns its result. */
  fails(args: string[], opts: { env?: NodeJS.ProcessEnv; bin?: string } = {}): RunResult {
    const r = this.run(args, opts);
    if (r.code === 0) throw new Error(`prophet ${args.join(' ')} should have failed; printed: ${r.stdout}`);
    return r;
  }

  /** Creates a record and returns its local id and uuid. */
  create(type: string, props: Record<string, string>): { luid: number; uuid: string } {
    return this.json(['create', '--type', type, '--', ...Object.entries(props).map(([k, v]) => `${k}=${v}`)]);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Whether an error message is one line (a trailing newline allowed) and names the program. */
export function oneLine(stderr: string, program = 'prophet'): boolean {
  return stderr.trimEnd().split('\n').length === 1 && stderr.startsWith(`${program}: `);
}

/** A maker of sandboxes that are removed after each test of the file that calls this. */
export function sandboxesRemovedAfterEach(): (extraEnv?: NodeJS.ProcessEnv) => Sandbox {
  const made: Sandbox[] = [];
  afterEach(() => {
    while (made.length) made.pop()!.cleanup();
  });
  return (extraEnv) => {
    const box = new Sandbox(extraEnv);
    made.push(box);
    return box;
  };
}
