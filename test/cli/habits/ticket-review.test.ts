/** `sd ticket review` (reference §3.3): step through tickets, changing each from one prompt. */
import { describe, expect, it } from 'vitest';
import { reviewMenu, readCodes } from '../../../src/sd/cli/review-menu.js';
import { createdId, sdUserWithReplica } from '../../sd/sd-cli.js';

describe('the review menu codes', () => {
  it('gives each property its first free letter after b and d, and each value its first free letter', () => {
    const menu = reviewMenu([['status', ['new', 'open', 'stalled', 'closed']], ['milestone', ['alpha', 'beta', 'alpha2']]]);
    expect(menu.map((p) => p.code)).toEqual(['s', 'm']);
    expect(menu[0]!.values.map((v) => v.code)).toEqual(['n', 'o', 's', 'c']);
    expect(menu[1]!.values.map((v) => v.code)).toEqual(['a', 'b', 'l']);
    expect(readCodes(menu, 'sc+mb')).toEqual({ changes: [{ code: 'sc', name: 'status', value: 'closed' }, { code: 'mb', name: 'milestone', value: 'beta' }] });
    expect(readCodes(menu, 'sx')).toEqual({ unknown: 'sx' });
  });
});

describe('sd ticket review', () => {
  it('changes each listed ticket from the codes typed at Update>, and moves on at an empty line', () => {
    const user = sdUserWithReplica();
    const first = createdId(user.ok(['ticket', 'create', '--summary', 'first'])).luid;
    const second = createdId(user.ok(['ticket', 'create', '--summary', 'second'])).luid;
    const r = user.sd(['ticket', 'review'], { input: 'zz\nsc+mb\n\nso\n\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${first}: first`);
    expect(r.stdout).toMatch(/\[s\] status: \[sn\] new\* +\[so\] open/);
    expect(r.stdout).toContain("No action bound to 'zz', try again...");
    expect(r.stdout).toContain('Done sc');
    expect(r.stdout).toContain('Done mb');
    const props = (id: string) => JSON.parse(user.ok(['ticket', 'show', id, '--json'])).props as Record<string, string>;
    expect(props(first)).toMatchObject({ status: 'closed', milestone: 'beta' });
    expect(props(second)).toMatchObject({ status: 'open', milestone: 'alpha' });
  });
});
