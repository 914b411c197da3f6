/**
 * Options go anywhere among the words, as in git, npm and every
 * yargs/commander CLI; short options take attached values (`-ssummary`).
 */
import { describe, expect, it } from 'vitest';
import { sandboxesRemovedAfterEach } from '../helpers.js';
import { createdId, sdUserWithReplica } from '../../sd/sd-cli.js';

describe('sd: options before, between and after the words', () => {
  it('shows, comments and prints JSON whatever the order', () => {
    const user = sdUserWithReplica();
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'first']));
    expect(user.ok(['ticket', 'show', '--verbose', luid])).toContain('summary: first');
    expect(user.ok(['ticket', 'comment', '-m', 'a note', luid])).toMatch(/Created comment \d+/);
    expect(user.ok(['ticket', 'comments', luid])).toContain('a note');
    const shown = JSON.parse(user.ok(['ticket', '--json', 'show', luid])) as { luid: number };
    expect(shown.luid).toBe(Number(luid));
    expect(JSON.parse(user.ok(['--json', 'ticket', 'show', luid])).luid).toBe(Number(luid));
  });

  it('reads -ssummary as --sort summary', () => {
    const user = sdUserWithReplica();
    user.ok(['ticket', 'create', '--summary', 'bbb']);
    user.ok(['ticket', 'create', '--summary', 'aaa']);
    const lines = (args: string[]) => user.ok(args).trim().split('\n').map((l) => l.replace(/\s+/g, ' '));
    const sorted = lines(['ticket', 'list', '-ssummary']);
    expect(sorted[sorted.length - 2]).toContain('aaa');
    expect(sorted[sorted.length - 1]).toContain('bbb');
  });
});

describe('prophet: options before, between and after the words', () => {
  const sandbox = sandboxesRemovedAfterEach();

  it('takes the type as --type before the id, or as a word before the id', () => {
    const box = sandbox();
    box.ok(['init']);
    const { luid } = box.create('Bug', { title: 'x' });
    for (const args of [['show', '--type', 'Bug', String(luid)], ['show', 'Bug', String(luid)], ['Bug', 'show', String(luid)], ['show', String(luid), '--type', 'Bug']]) {
      expect(box.ok(args), args.join(' ')).toContain('title: x');
    }
    expect(box.fails(['show', 'Task', String(luid)]).stderr).toMatch(/no Task/);
  });
});
