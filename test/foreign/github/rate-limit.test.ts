import { describe, expect, it } from 'vitest';
import { sdUser, type SdUser } from '../../sd/sd-cli.js';
import { allTickets, expectOneLineError, replicaState, sdOk, sdRun } from '../sd-side.js';
import { githubEnv, TOKEN, useFakeGitHub } from './github-test.js';

const REPO = 'octo/tracker';
const URL = `github:${REPO}`;
const fake = useFakeGitHub(REPO);

function user(): SdUser {
  const u = sdUser('me@example.com', 'rate');
  Object.assign(u.env, githubEnv(fake()));
  return u;
}

describe('GitHub rate limits', () => {
  it('primary: a clone that uses up the requests of a window waits for its reset, says so, and goes on without being refused', async () => {
    for (let n = 1; n <= 8; n++) fake().state.createIssue(REPO, 'alice', { title: `issue ${n}` });
    fake().rateLimit = { limit: 4, windowSeconds: 2 };
    const u = user();
    const r = await sdRun(u, ['clone', '--from', URL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/primary rate limit .* waiting [\d.]+ s \(until \d\d:\d\d:\d\d UTC\)/);
    expect(fake().requests.filter((q) => q.status === 403)).toEqual([]);
    expect(allTickets(u)).toHaveLength(8);
  });

  it('primary: a pull refused for an exhausted limit waits for the reset and resumes', async () => {
    fake().state.createIssue(REPO, 'alice', { title: 'before' });
    const u = user();
    await sdOk(u, ['clone', '--from', URL]);
    fake().state.createIssue(REPO, 'alice', { title: 'after' });
    fake().exhaust(TOKEN, 2);
    const r = await sdRun(u, ['pull', '--from', URL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/primary rate limit .* waiting/);
    expect(fake().requests.filter((q) => q.status === 403)).toHaveLength(1);
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['after', 'before']);
  });

  it('secondary: a 403 with retry-after is waited out and the request sent again', async () => {
    fake().state.createIssue(REPO, 'alice', { title: 'one' });
    fake().secondaryLimit(2, 1);
    const u = user();
    const r = await sdRun(u, ['clone', '--from', URL]);
    expect(r.code, r.stderr).toBe(0);
    // Announced as the time left when the wait starts: 1 s, or just under it.
    expect(r.stderr.match(/secondary rate limit .* waiting (1 s|\d{3} ms)/g), r.stderr).toHaveLength(2);
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['one']);
  });

  it('a reset further away than SD waits: one line saying the limit is exhausted and when it resets; nothing changed', async () => {
    fake().state.createIssue(REPO, 'alice', { title: 'one' });
    const u = user();
    await sdOk(u, ['clone', '--from', URL]);
    fake().state.createIssue(REPO, 'alice', { title: 'two' });
    const before = replicaState(u);
    fake().exhaust(TOKEN, 3600);
    expectOneLineError(await sdRun(u, ['pull', '--from', URL]), /rate limit is exhausted/, /again at \d\d:\d\d:\d\d UTC/, /SD_GITHUB_MAX_WAIT/);
    fake().exhaust(TOKEN, 5);
    expectOneLineError(await sdRun(u, ['pull', '--from', URL], { SD_GITHUB_MAX_WAIT: '1' }), /rate limit is exhausted/);
    expect(replicaState(u)).toBe(before);
  });
});
