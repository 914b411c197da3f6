import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createdId, editorScript, sdUserWithReplica } from './sd-cli.js';

const seen = (dir: string, n: number) => readFileSync(join(dir, `seen-${n}.txt`), 'utf8');
const rounds = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('seen-')).length;

describe('ticket create in the editor', () => {
  it('offers the template with defaults, creates the ticket and the comment from it', () => {
    const u = sdUserWithReplica();
    const { editor, dir } = editorScript([{ replace: [['^summary: $', 'summary: From the editor'], ['^owner: $', 'owner: bob@example.com']], append: 'template ok!\n' }]);
    const out = u.ok(['ticket', 'create'], { env: { EDITOR: editor } });
    const template = seen(dir, 0);
    expect(template).toMatch(/^=== required ticket metadata \(changes here will not be saved\) ===\n\ncreator: alice@example.com\noriginal_replica: [0-9a-f-]{36}\n\n=== edit ticket details below ===\n\nsummary: \nstatus: new\nmilestone: alpha\ncomponent: core\nowner: \ndue: \nreporter: alice@example.com\n\n=== add new ticket comment below ===\n/);
    const ticket = createdId(out);
    expect(out).toMatch(/Created comment \d+/);
    const basics = u.ok(['ticket', 'basics', ticket.luid, '--batch']);
    expect(basics).toMatch(/^summary: From the editor$/m);
    expect(basics).toMatch(/^owner: bob@example.com$/m);
    expect(u.ok(['ticket', 'comments', ticket.luid])).toMatch(/template ok!/);
  });

  it('-v adds descriptions and valid values; --summary pre-fills', () => {
    const u = sdUserWithReplica();
    const { editor, dir } = editorScript([{ append: 'x' }]);
    u.ok(['ticket', 'create', '-e', '-v', '--summary', 'prefilled'], { env: { EDITOR: editor } });
    const template = seen(dir, 0);
    expect(template).toMatch(/^# a one-line summary of what this ticket is about\nsummary: prefilled$/m);
    expect(template).toMatch(/^# valid values for status: new open stalled closed rejected\nstatus: new$/m);
    expect(template).toMatch(/^# valid values for milestone: alpha beta 1.0$/m);
  });

  it('an unchanged buffer aborts and creates nothing', () => {
    const u = sdUserWithReplica();
    const { editor } = editorScript([{}]);
    const r = u.sd(['ticket', 'create'], { env: { EDITOR: editor } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Aborted\./);
    expect(u.ok(['ticket', 'list', '--regex', '.'])).toBe('');
  });

  it('reopens with the errors on top when validation fails, then accepts the fix', () => {
    const u = sdUserWithReplica();
    const { editor, dir } = editorScript([
      { replace: [['^summary: $', 'summary: bad one'], ['^status: new$', 'status: nonsense']] },
      { replace: [['^status: nonsense$', 'status: open']] },
    ]);
    const out = u.ok(['ticket', 'create'], { env: { EDITOR: editor } });
    expect(rounds(dir)).toBe(2);
    const second = seen(dir, 1);
    expect(second).toMatch(/^=== errors in this ticket ===\n\nValidation error for 'status': 'nonsense' is not one of/);
    expect(second).toMatch(/You can bypass validation for a property by appending a ! to it\./);
    expect(second).toMatch(/^summary: bad one$/m);
    const { luid } = createdId(out);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(/^status: open$/m);
  });
});

describe('ticket update in the editor', () => {
  it('changes, deletes blanked properties, keeps hidden ones, adds a comment, in one changeset', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=before', 'owner=o@example.com', 'foobar=hidden']));
    u.ok(['settings', 'set', 'common_ticket_props', '["id","summary","status","owner","created","creator"]']);
    const { editor, dir } = editorScript([{ replace: [['^summary: before$', 'summary: after'], ['^owner: .*$', 'owner: ']], append: 'why I changed it\n' }]);
    const before = Number(/^(\d+)/m.exec(u.ok(['log', '--json']))?.[1] ?? 0);
    const out = u.ok(['ticket', 'update', luid], { env: { EDITOR: editor } });
    expect(out).toMatch(new RegExp(`Updated ticket ${luid} \\(`));
    expect(out).toMatch(/Created comment/);
    const template = seen(dir, 0);
    expect(template).toMatch(new RegExp(`^id: ${luid} \\([0-9a-f-]{36}\\)$`, 'm'));
    expect(template).not.toMatch(/foobar/);
    expect(template).not.toMatch(/^milestone:/m);
    const basics = u.ok(['ticket', 'basics', luid, '--batch', '--all-props']);
    expect(basics).toMatch(/^summary: after$/m);
    expect(basics).not.toMatch(/owner/);
    expect(basics).toMatch(/^foobar: hidden$/m);
    expect(basics).toMatch(/^milestone: alpha$/m);
    const history = JSON.parse(u.ok(['ticket', 'history', luid, '--json']));
    const last = history.filter((h: { kind: string }) => h.kind === 'changeset').at(-1);
    expect(Object.keys(last.prop_changes).sort()).toEqual(['owner', 'summary']);
    expect(before).toBeGreaterThanOrEqual(0);
  });

  it('--all-props shows the other properties so they can be edited', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s', 'foobar=1']));
    const { editor, dir } = editorScript([{ replace: [['^foobar: 1$', 'foobar: 2']] }]);
    u.ok(['ticket', 'update', luid, '--all-props'], { env: { EDITOR: editor } });
    expect(seen(dir, 0)).toMatch(/^foobar: 1$/m);
    expect(u.ok(['ticket', 'basics', luid, '--batch', '-a'])).toMatch(/^foobar: 2$/m);
  });

  it('re-offers the editor on a validation error instead of crashing (reference bug 10)', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    const { editor, dir } = editorScript([{ replace: [['^milestone: alpha$', 'milestone: omega']] }, { replace: [['^milestone: omega$', 'milestone: omega!']] }]);
    u.ok(['ticket', 'update', luid], { env: { EDITOR: editor } });
    expect(seen(dir, 1)).toMatch(/Validation error for 'milestone'/);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(/^milestone: omega$/m);
  });

  it('resolve -e opens the editor with status closed filled in', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    const { editor, dir } = editorScript([{ append: 'closing\n' }]);
    u.ok(['ticket', 'resolve', luid, '-e'], { env: { EDITOR: editor } });
    expect(seen(dir, 0)).toMatch(/^status: closed$/m);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(/^status: closed$/m);
  });
});

describe('comments', () => {
  it('create from -m, a file or the editor; list, show and update them', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    const other = createdId(u.ok(['ticket', 'create', '--', 'summary=t']));
    const first = createdId(u.ok(['ticket', 'comment', luid, '-m', 'line one\nline two']));
    u.ok(['ticket', 'comment', 'create', luid, '--content', 'second']);
    const { editor } = editorScript([{ append: 'from the editor' }]);
    u.ok(['ticket', 'comment', luid], { env: { EDITOR: editor } });
    u.ok(['ticket', 'comment', other.luid, '-m', 'elsewhere']);
    const comments = u.ok(['ticket', 'comments', luid]);
    expect(comments).toMatch(new RegExp(`^id: ${first.luid} \\(${first.uuid}\\)\\ncreated: .*\\n\\nline one\\nline two\\n`, 'm'));
    expect(comments.indexOf('line one')).toBeLessThan(comments.indexOf('second'));
    expect(comments).toMatch(/from the editor/);
    expect(comments).not.toMatch(/elsewhere/);
    expect(u.ok(['ticket', 'comment', 'list', luid]).trim().split('\n')).toHaveLength(3);
    expect(u.ok(['ticket', 'comment', 'list']).trim().split('\n')).toHaveLength(4);
    expect(u.ok(['ticket', 'comment', 'update', first.luid, '--', 'content=rewritten'])).toMatch(/^Comment \d+ \(.*\) updated\.$/m);
    const { editor: e2 } = editorScript([{ replace: [['rewritten', 'edited again']] }]);
    expect(u.ok(['ticket', 'comment', 'update', first.luid], { env: { EDITOR: e2 } })).toMatch(/^Updated comment/m);
    expect(u.ok(['ticket', 'comment', 'show', first.luid])).toMatch(/^content: edited again$/m);
    // -m and -f, as when the comment was made.
    u.ok(['ticket', 'comment', 'update', first.luid, '-m', 'said with -m']);
    expect(u.ok(['ticket', 'comment', 'show', first.luid])).toMatch(/^content: said with -m$/m);
    const file = join(u.home, 'comment.txt');
    writeFileSync(file, 'read from a file');
    u.ok(['ticket', 'comment', 'update', first.luid, '-f', file]);
    expect(u.ok(['ticket', 'comment', 'show', first.luid])).toMatch(/^content: read from a file$/m);
    expect(u.ok(['ticket', 'comments', other.luid])).toMatch(/elsewhere/);
    const empty = createdId(u.ok(['ticket', 'create', '--', 'summary=none']));
    expect(u.ok(['ticket', 'comments', empty.luid])).toBe('No comments found\n');
    const aborted = u.sd(['ticket', 'comment', luid], { env: { EDITOR: editorScript([{}]).editor } });
    expect(aborted.stderr).toMatch(/Aborted/);
  });
});
