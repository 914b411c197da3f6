/** What the globalSetups that install and start a real tracker (RT, Redmine) share. */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

/** Why a Debian package cannot be installed and run here, or '' if it can. */
export function whyNoServer(tracker: string, pkg: string, urlEnv: string): string {
  if (process.platform !== 'linux') return `${tracker} needs Debian's ${pkg} package; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return `installing and running ${tracker} needs root (apt-get, runuser www-data); run the ${tracker} tests as root or set ${urlEnv} to a running ${tracker}`;
  if (spawnSync('sh', ['-c', 'command -v apt-get && command -v runuser && command -v curl']).status !== 0) return 'apt-get, runuser or curl is missing: not a Debian-like system';
  return '';
}

/** Says loudly that a tracker's tests are skipped, and why (provided to the tests as `key`). */
export function unavailable<K extends 'rtUnavailable' | 'redmineUnavailable'>(project: TestProject, tracker: string, key: K, why: string): undefined {
  const line = '!'.repeat(100);
  console.error(`\n${line}\n!!! ${tracker.toUpperCase()} TESTS SKIPPED: no ${tracker} server. ${why}\n${line}\n`);
  project.provide(key, why);
  return undefined;
}

export function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
