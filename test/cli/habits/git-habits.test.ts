/** Habits from git: `log -n 3`, newest first; "Already up to date" when a pull has nothing to bring. */
import { describe, expect, it } from 'vitest';
import { sdUser, sdUserWithReplica } from '../../sd/sd-cli.js';

const headers = (log: string) => [...log.matchAll(/^changeset (\d+)/gm)].map((m) => Number(m[1]));

describe('sd log', () => {
  it('-n N and --limit N show the newest N, newest first', () => {
    const user = sdUserWithReplica();
    for (const s of ['a', 'b', 'c', 'd']) user.ok(['ticket', 'create', '--summary', s]);
    const all = headers(user.ok(['log']));
    expect(all).toEqual([...all].sort((x, y) => y - x));
    expect(headers(user.ok(['log', '-n', '3']))).toEqual(all.slice(0, 3));
    expect(headers(user.ok(['log', '--limit', '2']))).toEqual(all.slice(0, 2));
    expect(headers(user.ok(['log', '-n2']))).toEqual(all.slice(0, 2));
    expect(headers(user.ok(['log', '1..3', '-n', '1']))).toEqual([3]);
  });
});

describe('sd pull with nothing to bring', () => {
  it('from itself, or from a replica with nothing new, says "Already up to date" and exits 0', () => {
    const alice = sdUserWithReplica('alice@example.com', 'alice');
    alice.ok(['ticket', 'create', '--summary', 'shared']);
    const self = alice.sd(['pull', '--from', alice.repo]);
    expect(self.code).toBe(0);
    expect(self.stdout).toContain('Already up to date');
    const bob = sdUser('bob@example.com', 'bob');
    bob.ok(['clone', '--from', alice.repo]);
    const again = bob.sd(['pull', '--from', alice.repo]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already up to date');
  });
});
