import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './helpers.js';

let s: Sandbox;
beforeEach(() => {
  s = new Sandbox();
  s.ok(['init']);
});
afterEach(() => s.cleanup());

/** An $EDITOR that runs a shell snippet on the file ($1) and keeps a copy of the template it was given. */
function editor(snippet: string): string {
  const script = join(s.dir, 'editor.sh');
  writeFileSync(script, `#!/bin/sh\ncp "$1" "${join(s.dir, 'template.txt')}"\n${snippet}\n`, { mode: 0o755 });
  return script;
}

describe('create --edit and update --edit (t/edit.t, reference §5.3)', () => {
  it('creates from the edited key: value lines, ignoring comments and lines without a colon', () => {
    const EDITOR = editor('printf "summary: from the editor\\n# a comment: ignored\\nno colon here\\nstatus: new\\nempty:\\n" >> "$1"');
    const r = s.json<{ luid: number; props: Record<string, string> }>(['create', '--type', 'Bug', '--edit'], { env: { EDITOR } });
    expect(r.props).toMatchObject({ summary: 'from the editor', status: 'new' });
    expect(r.props).not.toHaveProperty('empty');
    expect(r.props).not.toHaveProperty('# a comment');
  });

  it('aborts when the text comes back unchanged, creating nothing', () => {
    const r = s.fails(['create', '--type', 'Bug', '--edit'], { env: { EDITOR: editor('true') } });
    expect(r.stderr).toMatch(/^prophet: Aborted: the text was not changed/);
    expect(s.json<unknown[]>(['search', '--type', 'Bug'])).toEqual([]);
  });

  it('updates changed lines and deletes the properties whose lines were removed', () => {
    s.create('Bug', { summary: 'old', status: 'new', owner: 'bob' });
    const EDITOR = editor('sed -i -e "s/^summary: old/summary: new text/" -e "/^owner:/d" "$1"');
    expect(s.ok(['update', '1', '--edit'], { env: { EDITOR } })).toMatch(/^Bug 1 \(.*\) updated\.\n$/);
    const shown = s.json<{ props: Record<string, string> }>(['show', '1']);
    expect(shown.props).toMatchObject({ summary: 'new text', status: 'new' });
    expect(shown.props.owner).toBeUndefined();
  });

  it('starts the template from the record with -- properties applied; $VISUAL wins over $EDITOR', () => {
    s.create('Bug', { summary: 'old' });
    const VISUAL = editor('true; echo "x: y" >> "$1"');
    s.ok(['update', '1', '--edit', '--', 'status=open'], { env: { VISUAL, EDITOR: '/bin/false' } });
    expect(s.json<{ props: Record<string, string> }>(['show', '1']).props).toMatchObject({ summary: 'old', status: 'open', x: 'y' });
  });

  it('says how to set an editor when there is none, and reports an editor that fails', () => {
    s.create('Bug', { summary: 'old' });
    expect(s.fails(['update', '1', '--edit']).stderr).toBe('prophet: no editor to open: set EDITOR (or VISUAL), e.g. export EDITOR=nano\n');
    expect(s.fails(['update', '1', '--edit'], { env: { EDITOR: 'exit 3;' } }).stderr).toMatch(/exited with status 3; nothing was changed/);
    expect(s.json<{ props: Record<string, string> }>(['show', '1']).props.summary).toBe('old');
  });
});
