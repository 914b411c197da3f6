import { describe, expect, it } from 'vitest';
import { sdUser, type SdUser } from '../../sd/sd-cli.js';
import { replicaState, sdOk } from '../sd-side.js';
import type { FakeGitHubServer } from './fake-server.js';
import { githubEnv, useFakeGitHub } from './github-test.js';

const A = 'octo/frontend';
const B = 'acme/mirror';
const fake = useFakeGitHub(A, B);

/** Issues of a repository as titles with state and comment texts: what must be equal, once each, on both sides. */
function issues(f: FakeGitHubServer, repo: string): Array<{ title: string; state: string; comments: string[] }> {
  return f.state
    .repo(repo)
    .issues.map((i) => ({ title: i.title, state: i.state, comments: f.state.timeline(repo, i.number).filter((e) => e.event === 'commented').map((e) => String(e.body)) }))
    .sort((x, y) => x.title.localeCompare(y.title));
}

async function sync(u: SdUser, op: 'pull' | 'push', repo: string): Promise<{ changesets?: { integrated: number } }> {
  return JSON.parse(await sdOk(u, op === 'pull' ? ['pull', '--from', `github:${repo}`, '--json'] : ['push', '--to', `github:${repo}`, '--json'])) as never;
}

describe('SD as a gateway between two GitHub repositories', () => {
  it('an issue made in one appears once in the other with its comments; a state change travels back; repeated syncs in any order make no duplicates and no echoes', async () => {
    const f = fake();
    f.state.createIssue(A, 'alice', { title: 'Crash on start', body: 'Stack trace...' });
    f.state.addComment(A, 1, 'bob', 'Seen on Linux too.');
    f.state.createIssue(B, 'carol', { title: 'Typo on the home page' });
    const u = sdUser('gateway@example.com', 'gateway');
    Object.assign(u.env, githubEnv(f));
    await sdOk(u, ['clone', '--from', `github:${A}`]);
    await sync(u, 'pull', B);
    await sync(u, 'push', B);
    await sync(u, 'push', A);

    const crash = issues(f, B).find((i) => i.title === 'Crash on start');
    expect(crash).toEqual({ title: 'Crash on start', state: 'open', comments: ['Seen on Linux too.'] });
    expect(f.state.repo(B).issues.find((i) => i.title === 'Crash on start')!.body).toBe('Stack trace...');
    expect(issues(f, A).map((i) => i.title)).toEqual(['Crash on start', 'Typo on the home page']);

    // Closed in B, with a comment there: both travel back to A.
    const mirrored = f.state.repo(B).issues.find((i) => i.title === 'Crash on start')!;
    f.state.editIssue(B, mirrored.number, 'dave', { state: 'closed', state_reason: 'completed' });
    f.state.addComment(B, mirrored.number, 'dave', 'Fixed in the mirror.');
    await sync(u, 'pull', B);
    await sync(u, 'push', A);
    expect(issues(f, A).find((i) => i.title === 'Crash on start')).toEqual({ title: 'Crash on start', state: 'closed', comments: ['Seen on Linux too.', 'Fixed in the mirror.'] });

    // Every order again, twice: nothing new anywhere.
    const a = issues(f, A);
    const b = issues(f, B);
    const local = replicaState(u);
    for (const [op, repo] of [['pull', A], ['push', B], ['pull', B], ['push', A], ['push', B], ['pull', A], ['pull', B], ['push', A]] as const) {
      const report = await sync(u, op, repo);
      if (op === 'pull') expect(report.changesets?.integrated, `${op} ${repo}`).toBe(0);
    }
    expect(issues(f, A)).toEqual(a);
    expect(issues(f, B)).toEqual(b);
    expect(issues(f, A)).toEqual(issues(f, B));
    expect(replicaState(u)).toBe(local);
  });
});
