import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createdId, sdUser, type SdUser } from '../../sd/sd-cli.js';
import { allTickets, commentTexts, expectOneLineError, replicaState, sdOk, sdRun, ticketBySummary } from '../sd-side.js';
import type { FakeGitHubServer } from './fake-server.js';
import { BOT, githubEnv, requestLines, useFakeGitHub } from './github-test.js';

const REPO = 'octo/tracker';
const URL = `github:${REPO}`;
const fake = useFakeGitHub(REPO);

async function cloned(f: FakeGitHubServer): Promise<SdUser> {
  const u = sdUser('me@example.com', 'sync');
  Object.assign(u.env, githubEnv(f));
  await sdOk(u, ['clone', '--from', URL]);
  return u;
}

/** A pull's --json report. */
async function pulled(u: SdUser): Promise<{ changesets: { integrated: number }; summary: { requests: number; records: Record<string, number> } }> {
  return JSON.parse(await sdOk(u, ['pull', '--from', URL, '--json'])) as never;
}

describe('sd pull and push with github:owner/repo', () => {
  it('pulls what changed on GitHub: a rename, a body edit, a close with its reason, labels, assignees, milestone, new and edited comments', async () => {
    const gh = fake().state;
    const v2 = gh.createMilestone(REPO, 'v2');
    gh.createIssue(REPO, 'alice', { title: 'Login fails', body: 'With a 500.' });
    const old = gh.addComment(REPO, 1, 'alice', 'First words');
    gh.createIssue(REPO, 'alice', { title: 'No body yet' });
    const u = await cloned(fake());

    gh.editIssue(REPO, 1, 'bob', { title: 'Login fails on Sundays', body: 'With a 500, on Sundays only.', labels: ['bug', 'component: auth'], assignees: ['carol'], milestone: v2 });
    gh.addComment(REPO, 1, 'carol', 'Reproduced.');
    gh.editComment(REPO, old.id as number, 'First words, edited');
    gh.editIssue(REPO, 1, 'carol', { state: 'closed', state_reason: 'not_planned' });
    gh.editIssue(REPO, 2, 'alice', { body: 'A body, at last' });
    const report = await pulled(u);
    expect(ticketBySummary(u, 'No body yet').props.description).toBe('A body, at last');
    expect(report.changesets.integrated).toBeGreaterThan(0);

    const t = ticketBySummary(u, 'Login fails on Sundays');
    expect(t.props).toMatchObject({ description: 'With a 500, on Sundays only.', status: 'rejected', tags: 'bug', component: 'auth', owner: 'carol@users.noreply.github.com', milestone: 'v2' });
    expect(commentTexts(t)).toEqual(['First words, edited', 'Reproduced.']);
    expect(t.comments.find((c) => c.props.content === 'Reproduced.')!.props.creator).toBe('carol@users.noreply.github.com');

    // Read through: the next pull finds nothing new and changes nothing.
    const before = replicaState(u);
    expect((await pulled(u)).changesets.integrated).toBe(0);
    expect(replicaState(u)).toBe(before);
  });

  it('body edits, which GitHub records no event for, read between events (often in the same second): none is lost', async () => {
    const gh = fake().state;
    gh.createIssue(REPO, 'alice', { title: 'Quiet' });
    const u = await cloned(fake());
    gh.editIssue(REPO, 1, 'bob', { body: 'edited' });
    await pulled(u);
    gh.editIssue(REPO, 1, 'bob', { labels: ['later'] });
    await pulled(u);
    gh.editIssue(REPO, 1, 'bob', { body: 'edited twice' });
    await pulled(u);
    gh.editIssue(REPO, 1, 'carol', { state: 'closed' });
    await pulled(u);
    expect(ticketBySummary(u, 'Quiet').props).toMatchObject({ description: 'edited twice', tags: 'later', status: 'closed' });
  });

  it('with the clock stopped in one second, an edit that moves neither the issue\'s time nor its listing (a comment edited) is still pulled', async () => {
    const gh = fake().state;
    gh.frozenAt = gh.now();
    gh.createIssue(REPO, 'alice', { title: 'Frozen' });
    const said = gh.addComment(REPO, 1, 'alice', 'first words');
    const u = await cloned(fake());
    const listed = gh.issue(REPO, 1)!.updated_at;
    gh.editComment(REPO, said.id as number, 'second words');
    expect(gh.issue(REPO, 1)!.updated_at).toBe(listed);
    await pulled(u);
    expect(commentTexts(ticketBySummary(u, 'Frozen'))).toEqual(['second words']);
    gh.editComment(REPO, said.id as number, 'third words');
    await pulled(u);
    expect(commentTexts(ticketBySummary(u, 'Frozen'))).toEqual(['third words']);
  });

  it('pushes what changed in SD: a new ticket with a comment, edits of every mapped field, a comment on an old issue; the next pull brings none of it back', async () => {
    const gh = fake().state;
    gh.createMilestone(REPO, 'alpha');
    gh.createIssue(REPO, 'alice', { title: 'Existing', body: 'old body' });
    const u = await cloned(fake());
    const old = ticketBySummary(u, 'Existing');

    const fresh = createdId(u.ok(['ticket', 'create', '--summary', 'Made in SD', '--', 'description=Body from SD', 'owner=dave@users.noreply.github.com', 'tags=feature', 'component=ui']));
    u.ok(['ticket', 'comment', fresh.uuid, '-m', 'A comment from SD']);
    u.ok(['ticket', 'update', old.uuid, '--', 'summary=Existing, renamed', 'description=new body', 'status=closed', 'tags=bug, wontfix', 'milestone=alpha']);
    u.ok(['ticket', 'comment', old.uuid, '-m', 'Closing it']);
    await sdOk(u, ['push', '--to', URL]);

    const made = gh.repo(REPO).issues.find((i) => i.title === 'Made in SD')!;
    expect(made).toMatchObject({ body: 'Body from SD', state: 'open' });
    expect(made.assignees.map((a) => a.login)).toEqual(['dave']);
    expect(made.labels.map((l) => l.name).sort()).toEqual(['component: ui', 'feature']);
    expect(gh.timeline(REPO, made.number).filter((e) => e.event === 'commented').map((e) => e.body)).toEqual(['A comment from SD']);
    const existing = gh.issue(REPO, 1)!;
    expect(existing).toMatchObject({ title: 'Existing, renamed', body: 'new body', state: 'closed', state_reason: 'completed' });
    expect(existing.milestone?.title).toBe('alpha');
    expect(existing.labels.map((l) => l.name).sort()).toEqual(['bug', 'component: core', 'wontfix'].filter((l) => l !== 'component: core' || old.props.component === 'core'));
    expect(gh.timeline(REPO, 1).filter((e) => e.event === 'commented').map((e) => [e.body, (e.user as { login: string }).login])).toEqual([['Closing it', BOT]]);

    // No echoes: what the push made is not pulled back, twice over.
    const before = replicaState(u);
    for (let i = 0; i < 2; i++) expect((await pulled(u)).changesets.integrated).toBe(0);
    expect(replicaState(u)).toBe(before);
    // Nothing is sent twice either.
    fake().reset();
    await sdOk(u, ['push', '--to', URL]);
    expect(requestLines(fake()).filter((l) => !l.startsWith('GET'))).toEqual([]);
    expect(gh.repo(REPO).issues).toHaveLength(2);
  });

  it('an unchanged repository costs exactly one request, answered 304', async () => {
    const gh = fake().state;
    // A minute ago: issues edited in the last seconds before a pull are read again by the next one, which is not what this counts.
    gh.clockOffset = -60;
    for (let n = 1; n <= 30; n++) gh.createIssue(REPO, 'alice', { title: `issue ${n}` });
    gh.clockOffset = 0;
    const u = await cloned(fake());
    await pulled(u);
    fake().reset();
    const report = await pulled(u);
    expect(requestLines(fake())).toEqual([expect.stringMatching(/^GET \/repos\/octo\/tracker\/issues\?.*since=.* 304$/)]);
    expect(report.summary.requests).toBe(1);
  });

  it('an incremental pull reads only the issues that changed', async () => {
    const gh = fake().state;
    gh.clockOffset = -60;
    for (let n = 1; n <= 30; n++) gh.createIssue(REPO, 'alice', { title: `issue ${n}` });
    gh.clockOffset = 0;
    const u = await cloned(fake());
    gh.addComment(REPO, 4, 'bob', 'news on 4');
    gh.editIssue(REPO, 9, 'bob', { state: 'closed' });
    fake().reset();
    await pulled(u);
    const lines = requestLines(fake());
    expect(lines.filter((l) => l.includes('/timeline')).map((l) => /issues\/(\d+)\/timeline/.exec(l)![1]).sort()).toEqual(['4', '9']);
    expect(lines).toHaveLength(3);
    expect(commentTexts(ticketBySummary(u, 'issue 4'))).toEqual(['news on 4']);
    expect(ticketBySummary(u, 'issue 9').props.status).toBe('closed');
  });

  it('a push that fails midway stops with one line; the next push sends the rest, nothing twice', async () => {
    const gh = fake().state;
    gh.createIssue(REPO, 'alice', { title: 'Existing' });
    const u = await cloned(fake());
    for (const n of [1, 2, 3]) u.ok(['ticket', 'create', '--summary', `New ${n}`]);
    fake().failOnce((r) => r.method === 'POST' && /\/issues$/.test(r.path) && gh.repo(REPO).issues.length === 2);
    expectOneLineError(await sdRun(u, ['push', '--to', URL]), /sent again|502/);
    expect(gh.repo(REPO).issues.map((i) => i.title)).toEqual(['Existing', 'New 1']);
    await sdOk(u, ['push', '--to', URL]);
    expect(gh.repo(REPO).issues.map((i) => i.title)).toEqual(['Existing', 'New 1', 'New 2', 'New 3']);
    expect((await pulled(u)).changesets.integrated).toBe(0);
    expect(allTickets(u)).toHaveLength(4);
  });

  it('attachments stay in SD: a push skips them with a notice', async () => {
    fake().state.createIssue(REPO, 'alice', { title: 'Existing' });
    const u = await cloned(fake());
    const file = join(u.home, 'log.txt');
    writeFileSync(file, 'a log');
    u.ok(['ticket', 'attachment', 'create', ticketBySummary(u, 'Existing').uuid, '-f', file]);
    const r = await sdRun(u, ['push', '--to', URL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/attachment.*not sent.*skipped/);
  });
});
