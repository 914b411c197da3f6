/** Habits from git: `log -n 3`, newest first; "Already up to date" when a pull has nothing to bring. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../helpers/terminal.js';
import { sdUser, sdUserWithReplica, SD_BIN } from '../../sd/sd-cli.js';


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

describe('sd clone sets up who you are', () => {
  it('takes --email, so the first edit after a clone works', () => {
    const alice = sdUserWithReplica('alice@example.com', 'alice');
    alice.ok(['ticket', 'create', '--summary', 'shared']);
    const bob = sdUser(null, 'bob');
    const cloned = bob.sd(['clone', '--from', alice.repo, '--email', 'bob@example.com']);
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(bob.ok(['ticket', 'create', '--summary', 'from bob'])).toMatch(/Created ticket/);
    expect(bob.ok(['ticket', 'list', '--json'])).toContain('bob@example.com');
  });

  it("falls back to git's user.email", () => {
    const alice = sdUserWithReplica('alice@example.com', 'alice');
    const carol = sdUser(null, 'carol');
    writeFileSync(join(carol.home, '.gitconfig'), '[user]\n\temail = carol@example.com\n');
    const cloned = carol.sd(['clone', '--from', alice.repo]);
    expect(cloned.stderr).toContain('carol@example.com');
    carol.ok(['ticket', 'create', '--summary', 'from carol']);
    expect(carol.ok(['ticket', 'list', '--json'])).toContain('carol@example.com');
  });

  it('asks on a terminal', async () => {
    const alice = sdUserWithReplica('alice@example.com', 'alice');
    const dave = sdUser(null, 'dave');
    const term = new Terminal([process.execPath, SD_BIN, 'clone', '--from', alice.repo], dave.env, dave.home);
    await term.waitFor(/What email shall I use\?/);
    term.typeLine('dave@example.com');
    await term.waitFor(/\(a\)ll your SD databases/);
    term.typeLine('j');
    expect(await term.waitFor(/EXIT=\d+/)).toContain('EXIT=0');
    dave.ok(['ticket', 'create', '--summary', 'from dave']);
    expect(dave.ok(['ticket', 'list', '--json'])).toContain('dave@example.com');
  });
});
