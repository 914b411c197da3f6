import { describe, expect, it } from 'vitest';
import { sdUser } from '../../sd/sd-cli.js';
import { allTickets, commentTexts, numbersAt, sdOk, type SdRecord, type SdTicket } from '../sd-side.js';
import { githubEnv, requestLines, useFakeGitHub } from './github-test.js';

const REPO = 'octo/tracker';
const fake = useFakeGitHub(REPO);

interface HistoryEntry {
  creator: string | null;
  created: string;
  prop_changes?: Record<string, { new_value: string | null }>;
}

describe('sd clone --from github:owner/repo', () => {
  it('copies issues with title, body, state and reason, labels, assignees, milestone, comments and their history, real authors and times; pull requests are left out', async () => {
    const gh = fake().state;
    const v1 = gh.createMilestone(REPO, 'v1.0');
    gh.createIssue(REPO, 'alice', { title: 'Printer on fire', body: 'It is on fire.', labels: ['bug', 'component: hardware'], assignees: ['bob', 'carol'], milestone: v1 });
    gh.addComment(REPO, 1, 'bob', 'Checked the toner.');
    gh.editIssue(REPO, 1, 'carol', { title: 'Printer still on fire', labels: ['bug', 'urgent', 'component: hardware'] });
    gh.createIssue(REPO, 'dave', { title: 'Slow login', body: 'Takes a minute.' });
    gh.editIssue(REPO, 2, 'alice', { state: 'closed', state_reason: 'not_planned' });
    gh.createIssue(REPO, 'erin', { title: 'Duplicate crash' });
    gh.editIssue(REPO, 3, 'erin', { state: 'closed', state_reason: 'duplicate' });
    gh.createIssue(REPO, 'frank', { title: 'Fixed crash' });
    gh.editIssue(REPO, 4, 'frank', { state: 'closed' });
    gh.createPullRequest(REPO, 'alice', 'Fix the printer');

    const u = sdUser('me@example.com', 'clone');
    const report: unknown = JSON.parse(await sdOk(u, ['clone', '--from', `github:${REPO}`, '--json'], githubEnv(fake())));

    const tickets = allTickets(u);
    expect(tickets.map((t) => t.props.summary)).toEqual(['Duplicate crash', 'Fixed crash', 'Printer still on fire', 'Slow login']);
    const ticket = (summary: string) => tickets.find((t) => t.props.summary === summary)!;
    expect(numbersAt(report, /ticket/i)).toContain(4);
    const fire = ticket('Printer still on fire');
    expect(fire.props).toMatchObject({
      description: 'It is on fire.',
      status: 'open',
      owner: 'bob@users.noreply.github.com, carol@users.noreply.github.com',
      milestone: 'v1.0',
      component: 'hardware',
      tags: 'bug, urgent',
      reporter: 'alice@users.noreply.github.com',
    });
    expect(commentTexts(fire)).toEqual(['Checked the toner.']);
    const comment = fire.comments[0]!;
    expect(comment.props.creator).toBe('bob@users.noreply.github.com');
    const issue = gh.issue(REPO, 1)!;
    expect(comment.props.created?.replace(' ', 'T')).toMatch(new RegExp(`^${String(gh.repo(REPO).comments.values().next().value!.created_at).slice(0, 19)}`));
    // History: the creation by alice with the first title, the rename and label by carol.
    const history = fire.history as HistoryEntry[];
    const creation = history.find((h) => h.prop_changes?.summary?.new_value === 'Printer on fire')!;
    expect(creation.creator).toBe('alice@users.noreply.github.com');
    expect(creation.created.slice(0, 19)).toBe(issue.created_at.slice(0, 19));
    const rename = history.find((h) => h.prop_changes?.summary?.new_value === 'Printer still on fire')!;
    expect(rename.creator).toBe('carol@users.noreply.github.com');
    expect(history.find((h) => h.prop_changes?.tags?.new_value === 'bug, urgent')?.creator).toBe('carol@users.noreply.github.com');

    expect(ticket('Slow login').props.status).toBe('rejected');
    expect(ticket('Duplicate crash').props.status).toBe('duplicate');
    expect(ticket('Fixed crash').props.status).toBe('closed');
    const closing = (ticket('Slow login').history as HistoryEntry[]).find((h) => h.prop_changes?.status?.new_value === 'rejected')!;
    expect(closing.creator).toBe('alice@users.noreply.github.com');
  });

  it('follows Link pages: more issues than a page holds, and a timeline longer than a page', async () => {
    const gh = fake().state;
    for (let n = 1; n <= 230; n++) gh.createIssue(REPO, 'alice', { title: `issue ${String(n).padStart(3, '0')}` });
    for (let n = 1; n <= 120; n++) gh.addComment(REPO, 7, 'bob', `comment ${n}`);
    const u = sdUser('me@example.com', 'pages');
    await sdOk(u, ['clone', '--from', `github:${REPO}`], githubEnv(fake()));
    const lines = requestLines(fake());
    expect(lines.filter((l) => /^GET \/repos\/octo\/tracker\/issues\?/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /\/issues\/7\/timeline/.test(l))).toHaveLength(2);
    const list = JSON.parse(u.ok(['ticket', 'list', '--regex', '.', '--json'])) as SdRecord[];
    const summaries = list.map((t) => t.props.summary ?? '').sort();
    expect(summaries).toEqual(Array.from({ length: 230 }, (_, i) => `issue ${String(i + 1).padStart(3, '0')}`));
    const seventh = list.find((t) => t.props.summary === 'issue 007')!;
    expect(commentTexts(JSON.parse(u.ok(['ticket', 'show', seventh.uuid, '--json'])) as SdTicket)).toHaveLength(120);
  });
});
