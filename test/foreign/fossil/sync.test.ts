import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createdId, sdUser } from '../../sd/sd-cli.js';
import { allTickets, ticketBySummary } from '../sd-side.js';
import { describeFossil, FossilRepo } from './fossil-repo.js';

/** The summary line's request count: fossil runs. */
const requests = (out: string) => Number(/(\d+) requests?\)/.exec(out)?.[1]);

describeFossil('sd and a Fossil repository file', () => {
  it('clones tickets with their fields, comments by their real authors, and their history', () => {
    const repo = FossilRepo.create();
    const uuid = repo.add({ title: 'Crash on start', status: 'Open', type: 'Code_Defect', severity: 'Critical', priority: 'High', subsystem: 'ui', comment: 'It crashes\nevery time' }, 'alice');
    repo.set(uuid, { status: 'Fixed', resolution: 'Fixed', '+icomment': 'Fixed in trunk' }, 'bob');
    const u = sdUser('carol@example.com', 'carol');
    const out = u.ok(['clone', '--from', repo.url]);
    expect(out).toMatch(/Cloned 1 ticket, 2 comments from fossil:/);

    const t = ticketBySummary(u, 'Crash on start');
    expect(t.props).toMatchObject({ status: 'closed', priority: 'high', severity: 'Critical', type: 'Code_Defect', component: 'ui', resolution: 'Fixed', reporter: 'alice@example.com' });
    const comments = t.comments.map((c) => [c.props.creator, c.props.content]).sort();
    // Fossil's users are named by the email their user record gives.
    expect(comments).toEqual([
      ['alice@example.com', 'It crashes\nevery time'],
      ['bob@example.com', 'Fixed in trunk'],
    ]);
    // The ticket's history is Fossil's: created open by alice, closed by bob.
    const history = JSON.parse(u.ok(['ticket', 'history', t.uuid, '--json'])) as Array<{ creator: string; prop_changes?: Record<string, { old_value: string | null; new_value: string | null }> }>;
    const statuses = history.flatMap((h) => (h.prop_changes?.status ? [[h.creator, h.prop_changes.status.old_value, h.prop_changes.status.new_value]] : []));
    expect(statuses).toEqual([
      ['alice@example.com', null, 'open'],
      ['bob@example.com', 'open', 'closed'],
    ]);
  });

  it('pushes tickets, status changes and comments; pulls back no echo; an unchanged repository costs two fossil runs', () => {
    const repo = FossilRepo.create();
    const there = repo.add({ title: 'Made in Fossil', status: 'Open' });
    const u = sdUser('alice@example.com', 'alice');
    u.ok(['clone', '--from', repo.url]);
    const made = createdId(u.ok(['ticket', 'create', '--summary', 'Made in SD', '--', 'status=new', 'priority=low']));
    u.ok(['ticket', 'comment', made.uuid, '-m', 'Said in SD\nover two lines']);
    u.ok(['ticket', 'update', ticketBySummary(u, 'Made in Fossil').uuid, '--', 'status=stalled']);

    const pushed = u.ok(['push', '--to', repo.url]);
    expect(pushed).toMatch(/Pushed 2 tickets, 1 comment to fossil:/);
    const [sdTicket] = repo.byTitle('Made in SD');
    expect(sdTicket).toMatchObject({ status: 'Open', priority: 'Low' });
    // alice is a user of the repository: the changes are hers.
    expect(repo.comments(sdTicket!.uuid)).toEqual([{ user: 'alice', username: null, icomment: 'Said in SD\nover two lines' }]);
    expect(repo.tickets().find((t) => t.uuid === there)!.status).toBe('Deferred');

    const before = JSON.stringify(allTickets(u));
    const pulled = u.ok(['pull', '--from', repo.url]);
    expect(pulled).toMatch(/Pulled nothing/);
    expect(JSON.stringify(allTickets(u))).toBe(before);
    const again = u.ok(['pull', '--from', repo.url]);
    expect(again).toMatch(/Pulled nothing/);
    // Pushing again sends nothing.
    const count = repo.changeCount();
    u.ok(['push', '--to', repo.url]);
    expect(repo.changeCount()).toBe(count);
    expect(requests(again)).toBe(2);
  });

  it('pulls a change made in Fossil after a push once, following the pushed value', () => {
    const repo = FossilRepo.create();
    const u = sdUser('dave@example.com', 'dave');
    u.ok(['init', '-n']);
    const made = createdId(u.ok(['ticket', 'create', '--summary', 'Round trip', '--', 'status=open']));
    u.ok(['push', '--to', repo.url], { env: { SD_FOSSIL_USER: 'admin' } });
    const [t] = repo.byTitle('Round trip');
    // dave is not a Fossil user: the change is written by SD_FOSSIL_USER, naming him.
    expect(repo.rows<{ username: string }>(`SELECT username FROM ticketchng`)).toEqual([{ username: 'dave@example.com' }]);
    repo.set(t!.uuid, { status: 'Closed', '+icomment': 'Closing from Fossil' }, 'bob');
    u.ok(['pull', '--from', repo.url]);
    u.ok(['pull', '--from', repo.url]);
    const back = ticketBySummary(u, 'Round trip');
    expect(back.uuid).toBe(made.uuid);
    expect(back.props.status).toBe('closed');
    expect(back.comments.map((c) => [c.props.creator, c.props.content])).toEqual([['bob@example.com', 'Closing from Fossil']]);
    expect(u.ok(['conflicts'])).toMatch(/No conflicts/);
  });

  it('fails in one line for a missing file, a file that is not a repository, and no fossil program', () => {
    const u = sdUser('erin@example.com', 'erin');
    u.ok(['init', '-n']);
    const missing = u.sd(['pull', '--from', 'fossil:/nonexistent/x.fossil']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe('sd: there is no Fossil repository at /nonexistent/x.fossil (no such file)');
    const repo = FossilRepo.create();
    const notRepo = `${repo.path}.txt`;
    writeFileSync(notRepo, 'hello');
    const bad = u.sd(['pull', '--from', `fossil:${notRepo}`]);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/is not a Fossil repository/);
    const noFossil = u.sd(['pull', '--from', repo.url], { env: { SD_FOSSIL: '/nonexistent/fossil' } });
    expect(noFossil.stderr.trim()).toMatch(/^sd: the fossil program is not installed/);
    const url = u.sd(['pull', '--from', 'fossil:']);
    expect(url.stderr.trim()).toMatch(/is not a Fossil URL/);
  });
});

describeFossil('a Fossil push that fails midway', () => {
  it('stops at the change fossil refused, in one line, and the next push sends the rest once', () => {
    const repo = FossilRepo.create();
    const u = sdUser('alice@example.com', 'alice');
    u.ok(['init', '-n']);
    const made = createdId(u.ok(['ticket', 'create', '--summary', 'Pushed in two goes', '--', 'status=open']));
    for (const text of ['first', 'second', 'third']) u.ok(['ticket', 'comment', made.uuid, '-m', text]);
    // A fossil that refuses the third ticket write (the second comment), then works again.
    const counter = join(u.home, 'writes');
    const flaky = join(u.home, 'flaky-fossil');
    writeFileSync(flaky, `#!/bin/sh\nif [ "$1" = ticket ]; then n=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 )); echo $n > ${counter}; if [ $n = 3 ]; then echo "database is locked" >&2; exit 1; fi; fi\nexec fossil "$@"\n`, { mode: 0o755 });
    const failed = u.sd(['push', '--to', repo.url], { env: { SD_FOSSIL: flaky } });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr.trim()).toMatch(/^sd: could not push changeset \S+ to fossil:\S+ \(it will be sent again on the next push\): fossil failed on \S+: database is locked$/);
    const [t] = repo.byTitle('Pushed in two goes');
    expect(repo.comments(t!.uuid).map((c) => c.icomment)).toEqual(['first']);

    u.ok(['push', '--to', repo.url], { env: { SD_FOSSIL: flaky } });
    u.ok(['push', '--to', repo.url]);
    expect(repo.byTitle('Pushed in two goes')).toHaveLength(1);
    expect(repo.comments(t!.uuid).map((c) => c.icomment)).toEqual(['first', 'second', 'third']);
  });
});
