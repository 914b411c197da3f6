import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config, identityFrom } from '../../src/prophet/replica/config.js';
import { editGitConfig, parseGitConfig } from '../../src/prophet/replica/git-config.js';
import { Replica, SETTINGS_TYPE } from '../../src/prophet/replica/replica.js';
import { getSetting, listSettings, parseSettingValue, setSetting } from '../../src/prophet/replica/settings.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';

const app = {
  name: 'phonebook',
  settings: {
    kinds: { uuid: '11111111-2222-4333-8444-555555555555', default: ['home', 'work'] },
    owner: { uuid: '11111111-2222-4333-8444-666666666666', default: 'nobody' },
  },
};

describe('database settings', () => {
  it('are created at init as records with fixed uuids, and read back as JSON', () => {
    const r = Replica.init(join(tempDir(), 'r'), { app, env: testEnv() });
    expect(getSetting(r, 'kinds')).toEqual(['home', 'work']);
    expect(r.get(app.settings.kinds.uuid, SETTINGS_TYPE).props.label).toBe('kinds');
    expect(listSettings(r).map((s) => s.label)).toEqual(['kinds', 'owner']);
  });

  it("take no positive local id: the user's first record is local id 1", () => {
    const r = Replica.init(join(tempDir(), 'r'), { app, env: testEnv() });
    expect(r.findRecord(app.settings.kinds.uuid)!.luid).toBeLessThan(0);
    expect(r.create('Person', { name: 'first' }).luid).toBe(1);
    expect(() => r.get('-1')).toThrow(/is not a record id/);
  });

  it('change through an ordinary changeset, and say when nothing changed', () => {
    const r = Replica.init(join(tempDir(), 'r'), { app, env: testEnv() });
    const before = r.latestSequenceNo();
    expect(setSetting(r, 'kinds', ['home', 'work', 'mobile'])).toBe(true);
    expect(r.latestSequenceNo()).toBe(before + 1);
    expect(setSetting(r, 'kinds', ['home', 'work', 'mobile'])).toBe(false);
    expect(getSetting(r, 'kinds')).toEqual(['home', 'work', 'mobile']);
  });

  it('refuse unknown labels and invalid JSON with a clear message', () => {
    const r = Replica.init(join(tempDir(), 'r'), { app, env: testEnv() });
    expect(() => setSetting(r, 'colour', 'red')).toThrow(/there is no setting 'colour' \(known: kinds, owner\)/);
    expect(() => parseSettingValue('kinds', '[oops')).toThrow(/cannot set kinds to \[oops: it is not valid JSON/);
  });
});

describe('git-config files', () => {
  it('parses sections, subsections with dots, quoted values and comments', () => {
    const text = [
      '# a comment',
      '[user]',
      '\temail-address = ann@example.com ; trailing comment',
      '[replica "http://host.example/x.y"]',
      '\turl = http://host.example/x.y',
      '\tname = "  spaced  "',
      '[alias]',
      '\tfoo = "search --type Bug -- status=new"',
    ].join('\n');
    expect(parseGitConfig(text, 'f')).toEqual([
      { key: 'user.email-address', value: 'ann@example.com' },
      { key: 'replica.http://host.example/x.y.url', value: 'http://host.example/x.y' },
      { key: 'replica.http://host.example/x.y.name', value: '  spaced  ' },
      { key: 'alias.foo', value: 'search --type Bug -- status=new' },
    ]);
  });

  it('names the file and line of a syntax error', () => {
    expect(() => parseGitConfig('[user]\n= nothing', 'cfg')).toThrow(/cfg:2: cannot read/);
  });

  it('edits one key in place, keeping other lines, and removes keys', () => {
    let text = '# mine\n[user]\n\temail-address = a@b.c\n';
    text = editGitConfig(text, 'replica.origin.url', '/tmp/x');
    text = editGitConfig(text, 'user.email-address', 'z@y.x');
    expect(text).toBe('# mine\n[user]\n\temail-address = z@y.x\n[replica "origin"]\n\turl = /tmp/x\n');
    text = editGitConfig(text, 'replica.origin.url', undefined);
    expect(parseGitConfig(text, 'f')).toEqual([{ key: 'user.email-address', value: 'z@y.x' }]);
    const round = editGitConfig('', 'alias.x y', 'a "quoted" # value');
    expect(parseGitConfig(round, 'f')).toEqual([{ key: 'alias.x y', value: 'a "quoted" # value' }]);
  });
});

describe('configuration layers and identity', () => {
  it('lets the replica file override the user file, and writes the format version', () => {
    const home = tempDir();
    const root = tempDir();
    writeFileSync(join(home, '.phonebookrc'), '[user]\n\temail-address = user@example.com\n[x]\n\tkeep = 1\n');
    const env = { HOME: home };
    const c = new Config('phonebook', root, env);
    expect(identityFrom(c, env)).toBe('user@example.com');
    c.set('user.email-address', 'replica@example.com');
    expect(identityFrom(c, env)).toBe('replica@example.com');
    expect(c.get('x.keep')).toBe('1');
    expect(readFileSync(join(root, 'config'), 'utf8')).toMatch(/config-format-version = 0/);
  });

  it('uses only the override file when <APP>_CONFIG is set', () => {
    const home = tempDir();
    const file = join(tempDir(), 'only');
    writeFileSync(join(home, '.phonebookrc'), '[user]\n\temail-address = user@example.com\n');
    writeFileSync(file, '[a]\n\tb = c\n');
    const c = new Config('phonebook', undefined, { HOME: home, PHONEBOOK_CONFIG: file });
    expect(c.get('user.email-address')).toBeUndefined();
    expect(c.get('a.b')).toBe('c');
  });

  it('falls back from config to PROPHET_EMAIL to EMAIL', () => {
    const home = tempDir();
    const c = new Config('phonebook', undefined, { HOME: home });
    expect(identityFrom(c, { EMAIL: 'e@x' })).toBe('e@x');
    expect(identityFrom(c, { EMAIL: 'e@x', PROPHET_EMAIL: 'p@x' })).toBe('p@x');
    expect(existsSync(join(home, '.phonebookrc'))).toBe(false);
  });
});
