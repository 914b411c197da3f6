/**
 * vitest globalSetup: one real RT 5 for the whole run, shared by every test
 * file through `provide('rtServer')`, stopped at the end. It only acts when
 * the run includes a test file under test/foreign/rt/, so `vitest run
 * test/cli` never installs RT.
 *
 * - `SD_RT_URL=http://127.0.0.1:19480` uses a server already running
 *   (started by rt-setup.sh; its files in SD_RT_DIR, default
 *   /var/tmp/sd-rt-PORT) instead of starting one.
 * - Otherwise rt-setup.sh installs RT if missing (~5 min on a loaded
 *   machine, once) and starts a fresh one, with its own database, on a free
 *   port: never the development server's.
 * - Where RT cannot be had (not root, no apt-get, the install failed) the RT
 *   tests skip, with one loud message saying why; in CI (CI=true) a failed
 *   install or start fails the run instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runIncludes } from '../../helpers/run-includes.js';
import { freePort, runScript, unavailable as skipped, whyNoServer } from '../server-setup.js';
import { RT_PASSWORD, RT_USER, type RtServer } from './rt-server.js';

const SETUP = join(import.meta.dirname, 'rt-setup.sh');

const unavailable = (project: TestProject, why: string) => skipped(project, 'RT', 'rtUnavailable', why);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  project.provide('rtServer', null);
  project.provide('rtUnavailable', '');
  // The gateway tests relay between RT and other trackers.
  if (!runIncludes(project, 'test/foreign/rt') && !runIncludes(project, 'test/foreign/gateway')) return undefined;

  const existing = process.env.SD_RT_URL;
  if (existing) {
    const port = Number(new URL(existing).port);
    project.provide('rtServer', { url: existing.replace(/\/$/, ''), user: RT_USER, password: RT_PASSWORD, port, dir: process.env.SD_RT_DIR ?? `/var/tmp/sd-rt-${port}` });
    return undefined;
  }

  const missing = whyNoServer('RT', 'request-tracker5', 'SD_RT_URL');
  if (missing) return unavailable(project, missing);

  const port = await freePort();
  const dir = mkdtempSync('/var/tmp/sd-rt-test-');
  const env = { ...process.env, RT_PORT: String(port), RT_DIR: dir };
  const started = Date.now();
  const run = await runScript([SETUP], env);
  if (run.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = `rt-setup.sh failed (exit ${run.code}): ${run.output.trim().split('\n').slice(-5).join(' | ')}`;
    if (process.env.CI === 'true') throw new Error(`RT for the RT tests: ${why}`);
    return unavailable(project, why);
  }
  console.log(`RT for the RT tests ready at http://127.0.0.1:${port} in ${Math.round((Date.now() - started) / 1000)}s`);
  const server: RtServer = { url: `http://127.0.0.1:${port}`, user: RT_USER, password: RT_PASSWORD, port, dir };
  project.provide('rtServer', server);
  return async () => {
    await runScript([SETUP, 'stop'], env);
    rmSync(dir, { recursive: true, force: true });
  };
}
