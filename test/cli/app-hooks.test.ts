import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLine, Sandbox, TEST_APP_BIN } from './helpers.js';

// The fixture app declares a Bug type with a default, a canonicalizer, a
// validator and a list of allowed values, and one database setting.
let s: Sandbox;
const bin = TEST_APP_BIN;
beforeEach(() => {
  s = new Sandbox();
  s.ok(['init'], { bin });
});
afterEach(() => s.cleanup());

interface Shown {
  props: Record<string, string>;
}

describe('an app on the framework: record-type hooks through the CLI', () => {
  it('fills a default only when no value is given (t/default.t)', () => {
    expect(s.json<Shown>(['create', '--type', 'Bug', '--', 'summary=abc'], { bin }).props.status).toBe('new');
    expect(s.json<Shown>(['create', '--type', 'Bug', '--', 'summary=abc', 'status=open'], { bin }).props.status).toBe('open');
  });

  it('canonicalizes at create (t/canonicalize.t)', () => {
    expect(s.json<Shown>(['create', '--type', 'Bug', '--', 'summary=abc', 'email=Alice@Example.COM'], { bin }).props.email).toBe('alice@example.com');
  });

  it('reports validation errors with the hook message and changes nothing (t/validate.t)', () => {
    const r = s.fails(['create', '--type', 'Bug', '--', 'summary=ab', 'status=weird'], { bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Validation error for 'summary': must be at least 3 characters\./);
    expect(r.stderr).toMatch(/Validation error for 'status': 'weird' is not one of 'new', 'open', 'closed'/);
    expect(s.json<unknown[]>(['search', '--type', 'Bug'], { bin })).toEqual([]);
    expect(s.json<Shown>(['create', '--type', 'Bug', '--', 'summary=abc', 'status=weird!'], { bin }).props.status).toBe('weird');
    // The database setting made by init takes no positive local id: the first record is 1.
    expect(s.fails(['update', '1', '--', 'summary=x'], { bin }).stderr).toMatch(/^testapp: Validation error for 'summary'/);
    expect(s.json<Shown>(['show', '1'], { bin }).props.summary).toBe('abc');
    const setting = '6a1f7a3c-0000-4000-8000-000000000001';
    expect(s.fails(['update', setting, '--', 'content=[]'], { bin }).stderr).toMatch(/database settings\): change them with 'testapp settings'/);
    expect(s.fails(['delete', setting], { bin }).stderr).toMatch(/change them with 'testapp settings'/);
  });

  it('runs app commands, app summary formats, and names itself in messages', () => {
    expect(s.ok(['hello', 'there'], { bin })).toBe('hello there\n');
    s.ok(['create', '--type', 'Bug', '--', 'summary=abc'], { bin });
    expect(s.ok(['search', '--type', 'Bug'], { bin })).toBe('1 abc\n');
    expect(s.ok(['version'], { bin })).toBe('testapp 9.9.9\n');
    const missing = s.fails(['show', '1'], { bin, env: { TESTAPP_REPO: `${s.dir}/nowhere` } });
    expect(missing.stderr).toBe(`testapp: there is no testapp replica at ${s.dir}/nowhere: create one with 'testapp init', or point --repo or TESTAPP_REPO at an existing replica\n`);
    expect(oneLine(missing.stderr, 'testapp')).toBe(true);
  });
});

describe('settings (t/Settings/t/database-settings-editor.t)', () => {
  const UUID = '6a1f7a3c-0000-4000-8000-000000000001';

  it('shows each setting as a uuid comment and a label: json line', () => {
    expect(s.ok(['settings'], { bin })).toBe(`# uuid: ${UUID}\nstatuses: ["new","open","closed"]\n`);
    expect(s.json(['settings', 'show'], { bin })).toEqual([{ label: 'statuses', uuid: UUID, value: ['new', 'open', 'closed'] }]);
  });

  it('sets a setting from JSON, says when nothing changed, and refuses bad JSON or labels', () => {
    expect(s.ok(['settings', 'set', '--', 'statuses', '["a","b"]'], { bin })).toBe('Trying to change statuses from ["new","open","closed"] to ["a","b"].\n -> Changed.\n');
    expect(s.ok(['settings', 'set', 'statuses', '["a","b"]'], { bin })).toMatch(/ -> No change needed\.\n$/);
    expect(s.fails(['settings', 'set', 'statuses', '[oops'], { bin }).stderr).toMatch(/^testapp: cannot set statuses to \[oops: it is not valid JSON/);
    expect(s.fails(['settings', 'set', 'colour', '1'], { bin }).stderr).toMatch(/there is no setting 'colour' \(known: statuses\)/);
    expect(s.json<Array<{ value: unknown }>>(['settings'], { bin })[0]!.value).toEqual(['a', 'b']);
  });

  it('edits settings in $EDITOR, matching uuids case-insensitively', () => {
    const up = UUID.toUpperCase();
    const EDITOR = `sh -c 'sed -i -e "s/${UUID}/${up}/" -e "s/\\"closed\\"/\\"done\\"/" "$0"'`;
    expect(s.ok(['settings', 'edit'], { bin, env: { EDITOR } })).toBe('Changed statuses from ["new","open","closed"] to ["new","open","done"].\n');
    expect(s.ok(['settings', 'edit'], { bin, env: { EDITOR: 'true' } })).toBe('No settings changed.\n');
    const bad = `sh -c 'sed -i -e "s/${UUID}/00000000-0000-4000-8000-000000000000/" "$0"'`;
    expect(s.fails(['settings', 'edit'], { bin, env: { EDITOR: bad } }).stderr).toMatch(/setting with uuid "00000000-0000-4000-8000-000000000000" does not exist/);
  });
});
