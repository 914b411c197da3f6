/**
 * Vitest global set-up: one headless Chromium for every web test file,
 * started only when the run includes a file under test/web/. Debian's
 * `chromium` package is installed when missing (browser builds cannot be
 * downloaded here, so playwright-core drives the system's); on a fresh
 * machine apt's package lists are fetched first. Where it cannot be had,
 * the web tests are skipped, loudly; in CI (CI=true) the run fails instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { runIncludes } from '../helpers/run-includes.js';

export const CHROMIUM = '/usr/bin/chromium';

const apt = (...args: string[]) => execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: 'inherit' });
const firstLine = (err: unknown) => (err as Error).message.split('\n')[0];

/** Installs Chromium when missing: why it could not, or undefined. */
function installChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const install = () => apt('install', '-y', '--no-install-recommends', 'chromium');
  try {
    install();
  } catch {
    // A fresh machine has no package lists yet: fetch them and try once more.
    try {
      apt('update');
      install();
    } catch (err) {
      return `could not install Debian's chromium with apt-get (${firstLine(err)})`;
    }
  }
  return existsSync(CHROMIUM) ? undefined : 'apt-get ran but /usr/bin/chromium is still missing';
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumEndpoint: string;
    chromiumMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  project.provide('chromiumEndpoint', '');
  project.provide('chromiumMissing', 'no browser started: this run has no test/web/ file');
  if (!runIncludes(project, 'test/web')) return undefined;
  const missing = installChromium();
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`Chromium for the web tests: ${missing}`);
    const line = '!'.repeat(100);
    console.error(`\n${line}\n!!! WEB TESTS SKIPPED: ${missing}. Install it with: apt-get update && apt-get install chromium\n${line}\n`);
    project.provide('chromiumMissing', missing);
    return undefined;
  }
  const { chromium } = await import('playwright-core');
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  project.provide('chromiumMissing', '');
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return () => server.close();
}
