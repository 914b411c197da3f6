import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from './helpers.js';

let s: Sandbox;
afterEach(() => s.cleanup());

const mode = (path: string) => statSync(path).mode & 0o777;
const TOKEN = '0a1b2c3d.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('secrets in the config', () => {
  it('config replica.NAME.token goes to a private credentials file, and is never printed', () => {
    s = new Sandbox();
    s.ok(['init']);
    const said = s.ok(['config', 'replica.origin.token', TOKEN]);
    const file = join(s.home, '.config', 'prophet', 'credentials');
    expect(said).toBe(`Set replica.origin.token to '***' in ${file}.\n`);
    expect(mode(file)).toBe(0o600);
    expect(mode(join(s.home, '.config', 'prophet'))).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain(TOKEN);
    expect(existsSync(join(s.repo, 'config')) ? readFileSync(join(s.repo, 'config'), 'utf8') : '').not.toContain(TOKEN);
    for (const args of [['config'], ['config', '--json'], ['config', 'replica.origin.token'], ['config', 'get', 'replica.origin.token', '--json']]) {
      const out = s.ok(args);
      expect(out, args.join(' ')).not.toContain(TOKEN);
    }
    expect(s.ok(['config', 'replica.origin.token'])).toBe('***\n');
    s.ok(['config', 'delete', 'replica.origin.token']);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
  });

  it('moves a token an older release kept in the config when it is set again, and hides it meanwhile', () => {
    s = new Sandbox();
    s.ok(['init']);
    writeFileSync(join(s.repo, 'config'), `[replica "origin"]\n\turl = http://example.com/\n\ttoken = ${TOKEN}\n`);
    expect(s.ok(['config'])).not.toContain(TOKEN);
    s.ok(['config', 'replica.origin.token', 'other.token']);
    expect(readFileSync(join(s.repo, 'config'), 'utf8')).not.toContain(TOKEN);
    expect(readFileSync(join(s.repo, 'config'), 'utf8')).toContain('url = http://example.com/');
  });

  it('keeps a URL\'s password out of the config and out of what it prints', () => {
    s = new Sandbox();
    const creds = (s.env.PROPHET_CREDENTIALS = join(s.dir, 'creds'));
    s.ok(['init']);
    const said = s.ok(['config', 'replica.web.url', 'http://alice:hunter2@example.com/x/']);
    expect(said).not.toContain('hunter2');
    expect(readFileSync(join(s.repo, 'config'), 'utf8')).toContain('url = http://alice@example.com/x/');
    expect(readFileSync(join(s.repo, 'config'), 'utf8')).not.toContain('hunter2');
    expect(mode(creds)).toBe(0o600);
    expect(readFileSync(creds, 'utf8')).toBe('[credential "http://alice@example.com/x/"]\n\tpassword = hunter2\n');
  });
});

describe('file modes', () => {
  it('makes a new replica\'s database and config private', () => {
    s = new Sandbox();
    s.ok(['init']);
    s.ok(['config', 'user.email-address', 'alice@example.com']);
    expect(mode(join(s.repo, 'db.sqlite'))).toBe(0o600);
    expect(mode(join(s.repo, 'config'))).toBe(0o600);
    s.ok(['config', 'user.email-address', 'alice@example.com', '--user']);
    expect(mode(join(s.home, '.prophetrc'))).toBe(0o600);
  });

  it('keeps the mode a config file already has, and leaves modes to the umask when asked', () => {
    s = new Sandbox({ PROPHET_PRIVATE_FILES: '0' });
    s.ok(['init']);
    s.ok(['config', 'user.email-address', 'alice@example.com']);
    // The child inherits this process's umask.
    const umask = process.umask();
    expect(mode(join(s.repo, 'db.sqlite'))).toBe(0o666 & ~umask);
    expect(mode(join(s.repo, 'config'))).toBe(0o666 & ~umask);
    chmodSync(join(s.repo, 'config'), 0o640);
    s.ok(['config', 'user.email-address', 'bob@example.com'], { env: { PROPHET_PRIVATE_FILES: '' } });
    expect(mode(join(s.repo, 'config'))).toBe(0o640);
  });

  it('takes core.private-files = false from the user\'s config', () => {
    s = new Sandbox();
    writeFileSync(join(s.home, '.prophetrc'), '[core]\n\tprivate-files = false\n');
    s.ok(['init']);
    expect(mode(join(s.repo, 'db.sqlite'))).toBe(0o666 & ~process.umask());
  });
});
