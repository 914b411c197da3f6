/**
 * Vitest global set-up: one headless Chromium for every web test file.
 * Debian's `chromium` package is installed when missing (browser builds
 * cannot be downloaded here, so playwright-core drives the system's).
 * Where apt is unavailable the web tests are skipped, loudly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

export const CHROMIUM = '/usr/bin/chromium';

function installChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  try {
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
  } catch (err) {
    return `could not install Debian's chromium with apt-get (${(err as Error).message.split('\n')[0]})`;
  }
  return existsSync(CHROMIUM) ? undefined : 'apt-get ran but /usr/bin/chromium is still missing';
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumEndpoint: string;
    chromiumMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = installChromium();
  if (missing) {
    console.warn(`\n!!! WEB TESTS SKIPPED: ${missing}. Install it with: apt-get install chromium\n`);
    project.provide('chromiumMissing', missing);
    project.provide('chromiumEndpoint', '');
    return async () => {};
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
