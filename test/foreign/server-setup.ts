/**
 * What the globalSetups that install and start a real tracker (RT,
 * Redmine) share: one server for the whole run, provided to the tests,
 * stopped at the end, started only when the run includes a test file under
 * one of the tracker's folders.
 *
 * - `<urlEnv>=http://127.0.0.1:PORT` uses a server already running (started
 *   by the tracker's set-up script; its files in `<dirEnv>`, default
 *   /var/tmp/sd-<name>-PORT) instead of starting one.
 * - Otherwise the script installs the tracker if missing (once) and starts
 *   a fresh one, with its own database, on a free port.
 * - Where the tracker cannot be had (not root, no apt-get, the install
 *   failed) its tests skip, with one loud message saying why; in CI
 *   (CI=true) a failed install or start fails the run instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { freePort } from '../helpers/free-port.js';
import { runIncludes } from '../helpers/run-includes.js';

export interface TrackerSetup<K extends keyof ProvidedContext, U extends keyof ProvidedContext> {
  /** `RT`, `Redmine`: for messages. */
  tracker: string;
  /** Short name for directories: `rt`. */
  name: string;
  /** The Debian package, for messages. */
  pkg: string;
  /** The set-up script: `script` starts, `script stop` stops; it reads `<PREFIX>_PORT` and `<PREFIX>_DIR`. */
  script: string;
  envPrefix: string;
  /** More environment for the script. */
  env?: NodeJS.ProcessEnv;
  urlEnv: string;
  dirEnv: string;
  /** The run includes one of these folders: start. */
  folders: string[];
  serverKey: K;
  unavailableKey: U;
  /** What the tests get for a server at this URL, port and directory. */
  server(url: string, port: number, dir: string): ProvidedContext[K];
}

export async function trackerGlobalSetup<K extends keyof ProvidedContext, U extends keyof ProvidedContext>(project: TestProject, s: TrackerSetup<K, U>): Promise<(() => Promise<void>) | undefined> {
  project.provide(s.serverKey, null as ProvidedContext[K]);
  project.provide(s.unavailableKey, '' as ProvidedContext[U]);
  if (!s.folders.some((f) => runIncludes(project, f))) return undefined;
  const unavailable = (why: string) => {
    const line = '!'.repeat(100);
    console.error(`\n${line}\n!!! ${s.tracker.toUpperCase()} TESTS SKIPPED: no ${s.tracker} server. ${why}\n${line}\n`);
    project.provide(s.unavailableKey, why as ProvidedContext[U]);
    return undefined;
  };

  const existing = process.env[s.urlEnv];
  if (existing) {
    const port = Number(new URL(existing).port);
    project.provide(s.serverKey, s.server(existing.replace(/\/$/, ''), port, process.env[s.dirEnv] ?? `/var/tmp/sd-${s.name}-${port}`));
    return undefined;
  }

  const missing = whyNoServer(s);
  if (missing) return unavailable(missing);

  const port = await freePort();
  const dir = mkdtempSync(`/var/tmp/sd-${s.name}-test-`);
  const env = { ...process.env, ...s.env, [`${s.envPrefix}_PORT`]: String(port), [`${s.envPrefix}_DIR`]: dir };
  const started = Date.now();
  const run = await runScript([s.script], env);
  if (run.code !== 0) {
    await runScript([s.script, 'stop'], env);
    rmSync(dir, { recursive: true, force: true });
    const why = `${s.script.replace(/.*\//, '')} failed (exit ${run.code}): ${run.output.trim().split('\n').slice(-5).join(' | ')}`;
    if (process.env.CI === 'true') throw new Error(`${s.tracker} for the ${s.tracker} tests: ${why}`);
    return unavailable(why);
  }
  console.log(`${s.tracker} for the ${s.tracker} tests ready at http://127.0.0.1:${port} in ${Math.round((Date.now() - started) / 1000)}s`);
  project.provide(s.serverKey, s.server(`http://127.0.0.1:${port}`, port, dir));
  return async () => {
    await runScript([s.script, 'stop'], env);
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Why a Debian package cannot be installed and run here, or '' if it can. */
function whyNoServer(s: { tracker: string; pkg: string; urlEnv: string }): string {
  if (process.platform !== 'linux') return `${s.tracker} needs Debian's ${s.pkg} package; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return `installing and running ${s.tracker} needs root (apt-get, runuser www-data); run the ${s.tracker} tests as root or set ${s.urlEnv} to a running ${s.tracker}`;
  if (spawnSync('sh', ['-c', 'command -v apt-get && command -v runuser && command -v curl']).status !== 0) return 'apt-get, runuser or curl is missing: not a Debian-like system';
  return '';
}

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
