import { expect, it } from 'vitest';
import type { FakeGitHubServer } from '../github/fake-server.js';
import { githubEnv, useFakeGitHub } from '../github/github-test.js';
import { describeRedmine, freshProject, redmineUrl, redmineUser } from '../redmine/redmine-test.js';
import { allTickets, commentTexts, sdOk, ticketBySummary } from '../sd-side.js';

const REPO = 'acme/tracker';
const fake = useFakeGitHub(REPO);

/** The repository's issues: title, state and comment texts. */
function githubIssues(f: FakeGitHubServer): Array<{ number: number; title: string; state: string; comments: string[] }> {
  return f.state
    .repo(REPO)
    .issues.map((i) => ({ number: i.number, title: i.title, state: i.state, comments: f.state.timeline(REPO, i.number).filter((e) => e.event === 'commented').map((e) => String(e.body)) }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

describeRedmine('Redmine and GitHub through one SD replica', { timeout: 900_000 }, () => {
  it('relays issues and comments both ways; a state change travels back; repeated syncs in any order echo or duplicate nothing', async () => {
    const f = fake();
    const p = await freshProject();
    const redmine = redmineUrl(p);
    const github = `github:${REPO}`;
    const inRedmine = await p.rest.createIssue(p.project, { subject: 'Born in Redmine', description: 'Disk full.' }, { as: 'alice' });
    await p.rest.update(inRedmine, { notes: 'Note made in Redmine' }, { as: 'bob' });
    f.state.createIssue(REPO, 'octocat', { title: 'Born in GitHub', body: 'Button misaligned.' });
    f.state.addComment(REPO, 1, 'hubot', 'Comment made in GitHub');

    const relay = redmineUser('relay@example.com', 'relay');
    Object.assign(relay.env, githubEnv(f));
    await sdOk(relay, ['clone', '--from', redmine]);
    await sdOk(relay, ['pull', '--from', github]);
    await sdOk(relay, ['push', '--to', github]);
    await sdOk(relay, ['push', '--to', redmine]);

    // Each side has both, once, with the other side's texts.
    const onGithub = githubIssues(f);
    expect(onGithub.map((i) => i.title)).toEqual(['Born in GitHub', 'Born in Redmine']);
    expect(onGithub.find((i) => i.title === 'Born in Redmine')!.comments).toEqual(['Note made in Redmine']);
    expect(f.state.repo(REPO).issues.find((i) => i.title === 'Born in Redmine')!.body).toBe('Disk full.');
    const issues = await p.rest.issues(p.project);
    expect(issues.map((i) => i.subject).sort()).toEqual(['Born in GitHub', 'Born in Redmine']);
    const copy = issues.find((i) => i.subject === 'Born in GitHub')!;
    expect(await p.rest.notes(copy.id)).toEqual(expect.arrayContaining(['Comment made in GitHub']));

    // Closed on GitHub as completed: closed in SD and in Redmine.
    f.state.editIssue(REPO, 1, 'octocat', { state: 'closed', state_reason: 'completed' });
    await sdOk(relay, ['pull', '--from', github]);
    await sdOk(relay, ['push', '--to', redmine]);
    expect(ticketBySummary(relay, 'Born in GitHub').props.status).toBe('closed');
    expect((await p.rest.issue(copy.id)).status.name).toBe('Closed');

    for (let round = 0; round < 2; round++) {
      await sdOk(relay, ['pull', '--from', redmine]);
      await sdOk(relay, ['push', '--to', github]);
      await sdOk(relay, ['pull', '--from', github]);
      await sdOk(relay, ['push', '--to', redmine]);
    }
    expect(githubIssues(f)).toEqual(
      onGithub.map((i) => (i.title === 'Born in GitHub' ? { ...i, state: 'closed' } : i)),
    );
    expect((await p.rest.issues(p.project)).length).toBe(2);
    for (const issue of await p.rest.issues(p.project)) {
      const notes = await p.rest.notes(issue.id);
      expect(new Set(notes).size, `duplicate notes on ${issue.subject}: ${JSON.stringify(notes)}`).toBe(notes.length);
    }
    expect(allTickets(relay).map((t) => t.props.summary).sort()).toEqual(['Born in GitHub', 'Born in Redmine']);
    for (const t of allTickets(relay)) expect(new Set(commentTexts(t)).size, `duplicate comments on ${t.props.summary}`).toBe(commentTexts(t).length);
  });
});
