/** Validation that validates: impossible dates, empty summaries and line breaks in one-line fields are refused. */
import { describe, expect, it } from 'vitest';
import { createdId, sdUserWithReplica } from '../../sd/sd-cli.js';

describe('sd ticket validation', () => {
  it('refuses impossible due dates and times, naming the accepted forms', () => {
    const user = sdUserWithReplica();
    for (const due of ['2027-02-30', '2027-13-45', '0000-00-00', '2027-01-01 25:00', '2027-01-01 10:61']) {
      const r = user.sd(['ticket', 'create', '--summary', 'x', '--due', due]);
      expect(r.code, due).not.toBe(0);
      expect(r.stderr, due).toContain('YYYY-MM-DD');
    }
    expect(user.ok(['ticket', 'list', '--json'])).toBe('[]\n');
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'x', '--due', '2028-02-29 23:59']));
    expect(JSON.parse(user.ok(['ticket', 'show', luid, '--json'])).props.due).toBe('2028-02-29 23:59');
  });

  it('refuses a ticket without a summary, or with an empty one', () => {
    const user = sdUserWithReplica();
    for (const args of [['--summary='], ['--summary', '  '], ['--', 'status=new']]) {
      const r = user.sd(['ticket', 'create', ...args]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toContain('needs a summary');
    }
  });

  it('refuses a line break in a summary, and a list never shows one', () => {
    const user = sdUserWithReplica();
    expect(user.sd(['ticket', 'create', '--summary', 'two\nlines']).stderr).toContain('one line');
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'one line', '--', 'status=new']));
    // A peer's record may still hold one (no check ran where it was made): the list shows it escaped.
    user.ok(['ticket', 'update', luid, '--', 'status=a\nb!']);
    const list = user.ok(['ticket', 'list', '--', 'status=a\nb']);
    expect(list.trim().split('\n')).toHaveLength(1);
    expect(list).toContain('a\\nb');
  });
});
