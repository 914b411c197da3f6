/**
 * vitest globalSetup for the Fossil tests: makes sure the `fossil`
 * program is there, once per run, only when the run includes a test file
 * under test/foreign/fossil/. Missing, it is installed with apt-get (CI
 * runs as root on Debian 12); where that cannot be done the Fossil tests
 * skip with one loud message, and in CI (CI=true) the run fails instead.
 */
import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { runIncludes } from '../../helpers/run-includes.js';

export default function setup(project: TestProject): void {
  project.provide('fossilUnavailable', '');
  if (!runIncludes(project, 'test/foreign/fossil')) return;
  const why = whyNoFossil();
  if (!why) return;
  if (process.env.CI === 'true') throw new Error(`fossil for the Fossil tests: ${why}`);
  const line = '!'.repeat(100);
  console.error(`\n${line}\n!!! FOSSIL TESTS SKIPPED: ${why}\n${line}\n`);
  project.provide('fossilUnavailable', why);
}

const has = () => spawnSync('fossil', ['version'], { stdio: 'ignore' }).status === 0;

function whyNoFossil(): string {
  if (has()) return '';
  if (process.getuid?.() !== 0) return 'fossil is not installed and installing it needs root (apt-get install fossil)';
  const apt = (args: string[]) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const update = apt(['update', '-qq']);
  const install = update.status === 0 ? apt(['install', '-y', '-qq', 'fossil']) : update;
  if (install.status !== 0 || !has()) return `apt-get install fossil failed: ${`${install.stderr ?? ''}${install.error?.message ?? ''}`.trim().split('\n').slice(-3).join(' | ')}`;
  return '';
}

declare module 'vitest' {
  export interface ProvidedContext {
    fossilUnavailable: string;
  }
}
