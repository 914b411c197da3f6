/** `sd completion bash|zsh|fish` and `prophet completion ...`: commands, options, property names and local ids complete. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxesRemovedAfterEach } from '../helpers.js';
import { createdId, sdUserWithReplica, type SdUser } from '../../sd/sd-cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** `sd` and `prophet` on PATH, as an installed package puts them. */
function binDir(home: string): string {
  const dir = join(home, 'bin');
  mkdirSync(dir, { recursive: true });
  for (const name of ['sd', 'prophet']) writeFileSync(join(dir, name), `#!/bin/sh\nexec '${process.execPath}' '${join(ROOT, 'bin', `${name}.js`)}' "$@"\n`, { mode: 0o755 });
  return dir;
}

/** What bash offers after `line` (the cursor at its end) with the program's completion script loaded. */
function bashComplete(user: Pick<SdUser, 'home' | 'env'>, program: string, line: string): string[] {
  const env = { ...user.env, PATH: `${binDir(user.home)}:${user.env.PATH}` };
  const script = spawnSync(program, ['completion', 'bash'], { env, encoding: 'utf8' }).stdout;
  const words = line.split(' ');
  const test = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _${program}_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', test], { env, encoding: 'utf8', cwd: user.home });
  return r.stdout.split('\n').filter(Boolean);
}

describe('sd completion', () => {
  it('completes commands, sub-commands, options, property names and local ids in bash', () => {
    const user = sdUserWithReplica();
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'x']));
    expect(bashComplete(user, 'sd', 'sd tic')).toEqual(['ticket']);
    expect(bashComplete(user, 'sd', 'sd ticket sh')).toEqual(['show']);
    expect(bashComplete(user, 'sd', 'sd ticket show ')).toContain(luid);
    expect(bashComplete(user, 'sd', `sd ticket update ${luid} --st`)).toEqual(['--status']);
    expect(bashComplete(user, 'sd', 'sd ticket create -- summ')).toEqual(['summary=']);
  });

  it('prints zsh and fish scripts that ask sd for the candidates', () => {
    const user = sdUserWithReplica();
    expect(user.ok(['completion', 'zsh'])).toContain('compdef _sd sd');
    expect(user.ok(['completion', 'zsh'])).toContain('sd __complete');
    expect(user.ok(['completion', 'fish'])).toMatch(/complete -c sd -f -a '\(__sd_complete\)'/);
    expect(user.ok(['completion', 'fish'])).toContain('sd __complete');
    expect(user.sd(['completion', 'tcsh']).stderr).toContain('one of bash, zsh, fish');
  });
});

describe('prophet completion', () => {
  const sandbox = sandboxesRemovedAfterEach();
  it('completes commands and options in bash', () => {
    const box = sandbox();
    box.ok(['init']);
    const user = { home: box.home, env: box.env };
    expect(bashComplete(user, 'prophet', 'prophet sh')).toEqual(['shell', 'show']);
    expect(bashComplete(user, 'prophet', 'prophet log --li')).toEqual(['--limit']);
    const { luid } = box.create('Bug', { title: 'x' });
    expect(bashComplete(user, 'prophet', 'prophet Bug show ')).toContain(String(luid));
    expect(box.ok(['completion', 'fish'])).toContain('prophet __complete');
  });
});
