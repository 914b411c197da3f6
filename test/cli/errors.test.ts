import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLine, PROPHET_BIN, Sandbox } from './helpers.js';

let s: Sandbox;
beforeEach(() => {
  s = new Sandbox();
});
afterEach(() => s.cleanup());

/** The whole log, to check that a failed command changed nothing. */
const logOf = () => s.ok(['log', '--all', '--json']);

describe('bad input: one line on stderr, non-zero exit, replica unchanged', () => {
  beforeEach(() => {
    s.ok(['init']);
    s.create('Bug', { summary: 'x' });
  });

  const cases: Array<[string, string[], RegExp, number]> = [
    ['an unknown local id', ['show', '99'], /^prophet: no record has the local id 99$/, 1],
    ['an unknown uuid', ['update', '0000aaaa-0000-4000-8000-000000000000', '--', 'a=b'], /^prophet: no record with id '0000aaaa-/, 1],
    ['something that is no id', ['show', 'zebra'], /^prophet: 'zebra' is not a record id/, 2],
    ['a mismatched type', ['delete', '1', '--type', 'Task'], /^prophet: no Task with id '1' \(it is a 'Bug'\)$/, 1],
    ['an unknown type', ['update', '1', '--type', 'Nope', '--', 'a=b'], /^prophet: no Nope with id '1'/, 1],
    ['a malformed property', ['create', '--type', 'Bug', '--', 'summary'], /^prophet: property 'summary' has no value: write summary=VALUE$/, 2],
    ['a comparator in create', ['create', '--type', 'Bug', '--', 'a!=b'], /compares; to set a property write a=VALUE$/, 2],
    ['a stray word', ['update', '1', '--type', 'Bug', 'status=open'], /^prophet: 'status=open' looks like a property: put properties after '--'/, 2],
    ['an unknown option', ['show', '1', '--verbos'], /^prophet: unknown option --verbos for 'show'$/, 2],
    ['an option without its value', ['show', '1', '--as-of'], /^prophet: --as-of needs a value/, 2],
    ['a non-number where a number goes', ['show', '1', '--as-of', 'yesterday'], /^prophet: --as-of takes a number, not 'yesterday'$/, 2],
    ['an unknown command', ['frobnicate'], /^prophet: 'frobnicate' is not a prophet command; 'prophet help' lists them$/, 2],
    ['properties given to a command that takes none', ['show', '1', '--', 'a=b'], /^prophet: 'show' takes no properties after '--'/, 2],
    ['words left over', ['delete', '1', '2'], /^prophet: unexpected '2' after 'delete'/, 2],
    ['no type', ['create', '--', 'a=b'], /^prophet: which record type\? add --type TYPE/, 2],
    ['an update with nothing to change', ['update', '1'], /^prophet: nothing to change: give properties after '--'/, 2],
    ['an undo of a missing changeset', ['undo', '42'], /^prophet: there is no changeset 42 \(the log ends at 1\)$/, 1],
  ];
  for (const [what, args, message, code] of cases) {
    it(`reports ${what}`, () => {
      const before = logOf();
      const r = s.fails(args);
      expect(r.code).toBe(code);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stdout).toBe('');
      expect(logOf()).toBe(before);
    });
  }

  it('says exactly how to set an identity when there is none', () => {
    const r = s.fails(['create', '--type', 'Bug', '--', 'a=b'], { env: { PROPHET_EMAIL: '', EMAIL: '' } });
    expect(r.stderr).toBe("prophet: no identity to record on your changes: run 'prophet config user.email-address you@example.com' or set PROPHET_EMAIL\n");
    s.ok(['config', 'user.email-address', 'carol@example.com'], { env: { PROPHET_EMAIL: '' } });
    s.ok(['create', '--type', 'Bug', '--', 'a=b'], { env: { PROPHET_EMAIL: '' } });
  });

  it('prints a stack trace only with --debug', () => {
    expect(s.fails(['show', '99']).stderr).not.toMatch(/\n\s+at /);
    expect(s.fails(['show', '99', '--debug']).stderr).toMatch(/ProphetError: no record has the local id 99\n\s+at /);
  });
});

describe('output into a pipe', () => {
  it('stops quietly when the reader closes the pipe early (| head)', async () => {
    s.ok(['init']);
    s.create('Bug', Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, 'x'.repeat(40)])));
    const child = spawn(process.execPath, [PROPHET_BIN, 'log'], { env: s.env, cwd: s.dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('where the replica is', () => {
  it('says how to create a missing replica', () => {
    const r = s.fails(['search', '--type', 'Bug']);
    expect(r.stderr).toBe(`prophet: there is no prophet replica at ${s.repo}: create one with 'prophet init', or point --repo or PROPHET_REPO at an existing replica\n`);
  });

  it('refuses a directory that is not a replica', () => {
    mkdirSync(s.repo);
    writeFileSync(join(s.repo, 'notes.txt'), 'hello');
    expect(s.fails(['info']).stderr).toMatch(new RegExp(`^prophet: ${s.repo} is not a prophet replica: create one with 'prophet init'`));
  });

  it('takes --repo over PROPHET_REPO, relative to the working directory', () => {
    s.ok(['init', '--repo', 'other']);
    expect(s.json<{ location: string }>(['info', '--repo', 'other']).location).toBe(join(s.dir, 'other', 'db.sqlite'));
    expect(s.ok(['init', 'third'])).toBe(`Initialized a new prophet replica in ${join(s.dir, 'third')}\n`);
  });

  it('takes global options before the command too', () => {
    s.ok(['init', '--repo', 'other']);
    expect(s.json<{ location: string }>(['--repo', 'other', 'info']).location).toBe(join(s.dir, 'other', 'db.sqlite'));
    expect(JSON.parse(s.ok(['--json', '--repo=other', 'log']))).toEqual([]);
    expect(s.ok(['--help', 'log'])).toMatch(/^usage: prophet log/);
  });

  it('refuses a database from a newer release, unchanged', () => {
    s.ok(['init']);
    const file = join(s.repo, 'db.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(file);
    const r = s.fails(['info']);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/newer/i);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)('refuses to write to a read-only replica directory', () => {
    s.ok(['init']);
    s.create('Bug', { summary: 'x' });
    chmodSync(join(s.repo, 'db.sqlite'), 0o444);
    chmodSync(s.repo, 0o555);
    try {
      const r = s.fails(['create', '--type', 'Bug', '--', 'a=b']);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr).toMatch(/read-only/);
    } finally {
      chmodSync(s.repo, 0o755);
      chmodSync(join(s.repo, 'db.sqlite'), 0o644);
    }
    expect(s.json<unknown[]>(['search', '--type', 'Bug'])).toHaveLength(1);
  });
});

describe('usage and help (t/usage.t)', () => {
  it('lists every command', () => {
    const help = s.ok(['help']);
    for (const cmd of ['init', 'create', 'search', 'show', 'update', 'delete', 'history', 'log', 'undo', 'diff', 'info', 'settings', 'config', 'aliases', 'help', 'version']) {
      expect(help).toMatch(new RegExp(`\\n {2}${cmd} +\\S`));
    }
    expect(s.ok([])).toBe(help);
    expect(s.ok(['--help'])).toBe(help);
  });

  it('shows a command\'s usage with help COMMAND, --help and -h, under any of its names', () => {
    const usage = s.ok(['help', 'update']);
    expect(usage).toMatch(/^usage: prophet update ID \[--type TYPE\] -- NAME=VALUE \.\.\.\n {7}prophet update ID \[--type TYPE\] --edit\n/);
    expect(usage).toMatch(/Also: edit\n$/);
    expect(s.ok(['update', '--help'])).toBe(usage);
    expect(s.ok(['edit', '-h'])).toBe(usage);
    expect(s.fails(['help', 'nope']).stderr).toMatch(/'nope' is not a prophet command/);
  });

  it('prints the version', () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(s.ok(['version'])).toBe(`prophet ${version}\n`);
    expect(s.ok(['--version'])).toBe(`prophet ${version}\n`);
    expect(s.json(['version'])).toEqual({ name: 'prophet', version });
  });
});
