import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './helpers.js';

let s: Sandbox;
beforeEach(() => {
  s = new Sandbox();
  s.ok(['init']);
});
afterEach(() => s.cleanup());

describe('config (t/config.t)', () => {
  it('sets, gets and deletes a key in the replica file, in every syntax', () => {
    expect(s.ok(['config', 'user.email-address', 'bob@example.com'])).toBe(`Set user.email-address to 'bob@example.com' in ${s.repo}/config.\n`);
    expect(s.ok(['config', 'user.email-address'])).toBe('bob@example.com\n');
    s.ok(['config', 'set', 'a.b', 'one']);
    s.ok(['config', 'add', 'a.c=two']);
    s.ok(['config', 'a.d', '=', 'three']);
    expect(s.json(['config', 'get', 'a.c'])).toEqual({ key: 'a.c', value: 'two' });
    expect(readFileSync(join(s.repo, 'config'), 'utf8')).toBe(
      '[user]\n\temail-address = bob@example.com\n[core]\n\tconfig-format-version = 0\n[a]\n\tb = one\n\tc = two\n\td = three\n',
    );
    s.ok(['config', 'delete', 'a.b']);
    expect(s.fails(['config', 'a.b']).stderr).toBe('prophet: Key a.b is not set.\n');
  });

  it('keeps every key when several processes set keys at once (none overwrites another\'s change)', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `race.k${i}`);
    const runs = await Promise.all(keys.map((key, i) => s.start(['config', 'set', key, `v${i}`])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    for (const [i, key] of keys.entries()) expect(s.ok(['config', 'get', key])).toBe(`v${i}\n`);
    expect(existsSync(join(s.repo, 'config.lock'))).toBe(false);
  });

  it('a config lock another process holds makes a change wait, then fail in one line naming the lock', () => {
    writeFileSync(join(s.repo, 'config.lock'), '');
    const r = s.fails(['config', 'set', 'a.b', 'one']);
    expect(r.stderr).toMatch(/^prophet: cannot change the config: another process is changing .*config \(.*config\.lock exists\); try again, or remove .*config\.lock if no sd or prophet is running\n$/);
    expect(s.fails(['config', 'a.b']).stderr).toBe('prophet: Key a.b is not set.\n');
  });

  it('uses the configured identity for new changesets', () => {
    s.ok(['config', 'user.email-address', 'bob@example.com']);
    s.create('Bug', { summary: 'x' });
    expect(s.json<Array<{ creator: string }>>(['log'])[0]!.creator).toBe('bob@example.com');
  });

  it('writes --user to ~/.prophetrc and shows every file and value', () => {
    s.ok(['config', 'record.summary-format', '%s,$luid', '--user']);
    expect(readFileSync(join(s.home, '.prophetrc'), 'utf8')).toMatch(/\[record\]\n\tsummary-format = %s,\$luid\n/);
    const shown = s.json<{ files: Array<{ scope: string; path: string; exists: boolean }>; values: Record<string, string> }>(['config']);
    expect(shown.files.map((f) => f.scope)).toEqual(['global', 'user', 'replica']);
    expect(shown.values['record.summary-format']).toBe('%s,$luid');
    expect(s.ok(['config'])).toMatch(/^Configuration files \(later ones override earlier ones\):\n[^]*\n\nYour configuration:\n[^]*record\.summary-format=%s,\$luid/);
  });

  it('reads only PROPHET_APP_CONFIG when it is set', () => {
    const file = join(s.dir, 'only.rc');
    s.ok(['config', 'x.y', 'z'], { env: { PROPHET_APP_CONFIG: file } });
    expect(existsSync(join(s.repo, 'config'))).toBe(false);
    expect(s.json<{ files: unknown[] }>(['config'], { env: { PROPHET_APP_CONFIG: file } }).files).toEqual([{ scope: 'replica', path: file, exists: true }]);
  });

  it('edits the file in $EDITOR and refuses text it cannot read back', () => {
    s.ok(['config', 'a.b', 'one']);
    const script = join(s.dir, 'ed.sh');
    writeFileSync(script, '#!/bin/sh\nsed -i "s/one/two/" "$1"\n', { mode: 0o755 });
    expect(s.ok(['config', 'edit'], { env: { EDITOR: script } })).toMatch(/^Updated /);
    expect(s.ok(['config', 'a.b'])).toBe('two\n');
    writeFileSync(script, '#!/bin/sh\necho "= oops" >> "$1"\n', { mode: 0o755 });
    expect(s.fails(['config', 'edit'], { env: { EDITOR: script } }).stderr).toMatch(/cannot read '= oops'/);
    expect(s.ok(['config', 'a.b'])).toBe('two\n');
  });
});

describe('aliases (t/aliases.t, t/aliases_with_quotes.t)', () => {
  it('adds, changes, shows and deletes aliases with the messages of the original', () => {
    expect(s.ok(['aliases'])).toBe('No aliases for the current repository.\n');
    expect(s.ok(['aliases', 'add', 'pt', 'show --type Bug'])).toBe("Added alias 'pt' = 'show --type Bug'\n");
    expect(s.ok(['alias', 'set', 'pt', 'show --type Task'])).toBe("Changed alias 'pt' from 'show --type Bug' to 'show --type Task'\n");
    expect(s.ok(['aliases', 'bugs open', '=', 'search --type Bug -- status=open'])).toBe("Added alias 'bugs open' = 'search --type Bug -- status=open'\n");
    expect(s.ok(['aliases', 'ls=list'])).toBe("Added alias 'ls' = 'list'\n");
    expect(s.ok(['aliases', 'show'])).toBe(
      'Active aliases for the current repository (including user-wide and global\naliases if not overridden):\n\nbugs open = search --type Bug -- status=open\nls = list\npt = show --type Task\n',
    );
    expect(s.ok(['aliases', 'delete', 'pt'])).toBe("Deleted alias 'pt'\n");
    expect(s.json(['aliases'])).toEqual({ 'bugs open': 'search --type Bug -- status=open', ls: 'list' });
    expect(readFileSync(join(s.repo, 'config'), 'utf8')).toBe(
      '[alias]\n\tls = list\n[core]\n\tconfig-format-version = 0\n[alias "bugs open"]\n\texpands-to = search --type Bug -- status=open\n',
    );
  });

  it('reports usage mistakes in one line', () => {
    expect(s.fails(['aliases', 'add', 'x']).stderr).toMatch(/an alias is a name and one quoted expansion/);
    expect(s.fails(['aliases', 'delete', 'nope']).stderr).toBe("prophet: there is no alias 'nope'; 'aliases show' lists them\n");
  });

  it('expands aliases before dispatch, with $1 placeholders and arguments with spaces', () => {
    s.create('Bug', { summary: 'two words', status: 'open' });
    s.create('Bug', { summary: 'other', status: 'new' });
    s.ok(['aliases', 'add', 'pt', 'show --type Bug']);
    s.ok(['aliases', 'add', 'find', 'search --type Bug -- summary=$1']);
    s.ok(['aliases', 'add', 'twb', 'search --type Bug -- summary="two words"']);
    expect(s.json<{ luid: number }>(['pt', '2']).luid).toBe(2);
    expect(s.json<Array<{ luid: number }>>(['find', 'two words']).map((r) => r.luid)).toEqual([1]);
    expect(s.json<Array<{ luid: number }>>(['twb']).map((r) => r.luid)).toEqual([1]);
  });

  it('edits aliases in $EDITOR: add, change and delete', () => {
    s.ok(['aliases', 'add', 'a', 'show']);
    s.ok(['aliases', 'add', 'b', 'log']);
    const script = join(s.dir, 'ed.sh');
    writeFileSync(script, '#!/bin/sh\nsed -i -e "s/= show/= show --type Bug/" -e "/^b =/d" "$1"\necho "c = info" >> "$1"\n', { mode: 0o755 });
    expect(s.ok(['aliases', 'edit'], { env: { EDITOR: script } })).toBe("Changed alias 'a' from 'show' to 'show --type Bug'\nAdded alias 'c' = 'info'\nDeleted alias 'b'\n");
    expect(s.json(['aliases'])).toEqual({ a: 'show --type Bug', c: 'info' });
  });
});
