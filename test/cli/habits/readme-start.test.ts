/** The README's first commands run at node's speed (no npx before every command) and still work as written. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-replica.js';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('README: start here', () => {
  it('leads with a form that does not go through npx, and its demo runs', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const start = readme.slice(readme.indexOf('## Start here'));
    const [setUp, tests] = [...start.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(setUp).toMatch(/^npm install && /);
    expect(tests).toBe('npm test');
    const run = setUp!.replace(/^npm install && /, '');
    expect(run).not.toMatch(/\bnpx\b|npm exec/);
    const home = tempDir('readme-home-');
    const r = spawnSync('sh', ['-c', run], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ticket/i);
  }, 120_000);
});
