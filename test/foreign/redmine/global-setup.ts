/**
 * vitest globalSetup: one real Redmine 5 for the whole run, shared by every
 * test file through `provide('redmineServer')`, stopped at the end. It only
 * acts when the run includes a test file under test/foreign/redmine/.
 *
 * - `SD_REDMINE_URL=http://127.0.0.1:19580` uses a server already running
 *   (started by redmine-setup.sh; its files in SD_REDMINE_DIR, default
 *   /var/tmp/sd-redmine-PORT) instead of starting one.
 * - Otherwise redmine-setup.sh installs Redmine if missing (~2.5 min on a
 *   loaded machine, once) and starts a fresh instance, with its own
 *   database, on a free port.
 * - Where Redmine cannot be had (not root, no apt-get, the install failed)
 *   the Redmine tests skip, with one loud message saying why; in CI
 *   (CI=true) a failed install or start fails the run instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runIncludes } from '../../helpers/run-includes.js';
import { freePort, runScript, unavailable as skipped, whyNoServer } from '../server-setup.js';
import { ADMIN_KEY, type RedmineServer } from './redmine-server.js';

const SETUP = join(import.meta.dirname, 'redmine-setup.sh');

const unavailable = (project: TestProject, why: string) => skipped(project, 'Redmine', 'redmineUnavailable', why);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  project.provide('redmineServer', null);
  project.provide('redmineUnavailable', '');
  // The gateway tests relay between Redmine and other trackers.
  if (!runIncludes(project, 'test/foreign/redmine') && !runIncludes(project, 'test/foreign/gateway')) return undefined;

  const existing = process.env.SD_REDMINE_URL;
  if (existing) {
    const port = Number(new URL(existing).port);
    project.provide('redmineServer', { url: existing.replace(/\/$/, ''), port, dir: process.env.SD_REDMINE_DIR ?? `/var/tmp/sd-redmine-${port}` });
    return undefined;
  }

  const missing = whyNoServer('Redmine', 'redmine', 'SD_REDMINE_URL');
  if (missing) return unavailable(project, missing);

  const port = await freePort();
  const dir = mkdtempSync('/var/tmp/sd-redmine-test-');
  const env = { ...process.env, RM_PORT: String(port), RM_DIR: dir, RM_API_KEY: ADMIN_KEY };
  const started = Date.now();
  const run = await runScript([SETUP], env);
  if (run.code !== 0) {
    await runScript([SETUP, 'stop'], env);
    rmSync(dir, { recursive: true, force: true });
    const why = `redmine-setup.sh failed (exit ${run.code}): ${run.output.trim().split('\n').slice(-5).join(' | ')}`;
    if (process.env.CI === 'true') throw new Error(`Redmine for the Redmine tests: ${why}`);
    return unavailable(project, why);
  }
  console.log(`Redmine for the Redmine tests ready at http://127.0.0.1:${port} in ${Math.round((Date.now() - started) / 1000)}s`);
  const server: RedmineServer = { url: `http://127.0.0.1:${port}`, port, dir };
  project.provide('redmineServer', server);
  return async () => {
    await runScript([SETUP, 'stop'], env);
    rmSync(dir, { recursive: true, force: true });
  };
}
