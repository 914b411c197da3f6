import { describe, expect, it } from 'vitest';
import { sdUser, sdUserWithReplica, type SdUser } from '../../sd/sd-cli.js';
import { expectOneLineError, sdOk, sdRun, sdStart, type SdRecord } from '../sd-side.js';
import { githubEnv, useFakeGitHub } from './github-test.js';

const REPO = 'octo/tracker';
const URL = `github:${REPO}`;
const fake = useFakeGitHub(REPO);

/** Every ticket and comment, by summary and text (one `sd` run per type, whatever the size). */
function content(u: SdUser): { tickets: string[]; comments: string[] } {
  const list = (args: string[], prop: string) => (JSON.parse(u.ok([...args, '--json'])) as SdRecord[]).map((r) => r.props[prop] ?? '').sort();
  return { tickets: list(['ticket', 'list', '--regex', '.'], 'summary'), comments: list(['ticket', 'comment', 'list'], 'content') };
}

describe('interrupted GitHub syncs', () => {
  it('a pull killed midway resumes where it stopped, with nothing duplicated', async () => {
    const gh = fake().state;
    // A minute ago: issues edited in the seconds before a pull are read again by the next, which is not what this counts.
    gh.clockOffset = -60;
    for (let n = 1; n <= 40; n++) {
      gh.createIssue(REPO, 'alice', { title: `issue ${String(n).padStart(2, '0')}`, labels: ['bug'] });
      gh.addComment(REPO, n, 'bob', `comment on ${n}`);
    }
    gh.clockOffset = 0;
    const u = sdUserWithReplica('me@example.com', 'resume');
    Object.assign(u.env, githubEnv(fake()));
    fake().onRequest = () => {
      if (fake().requests.length === 25) process.kill(child.pid, 'SIGKILL');
    };
    const child = sdStart(u, ['pull', '--from', URL]);
    const killed = await child.done;
    expect(killed.signal, `${killed.stdout}${killed.stderr}`).toBe('SIGKILL');
    fake().onRequest = undefined;
    const partial = content(u).tickets.length;
    expect(partial).toBeLessThan(40);

    fake().reset();
    await sdOk(u, ['pull', '--from', URL]);
    expect(fake().count((r) => r.path.includes('/timeline')), 'the resumed pull reads only what it had not').toBeLessThanOrEqual(40 - partial + 10);
    const whole = content(u);
    expect(whole.tickets).toEqual(Array.from({ length: 40 }, (_, i) => `issue ${String(i + 1).padStart(2, '0')}`));
    expect(whole.comments).toHaveLength(40);
    expect(new Set(whole.comments).size).toBe(40);

    const again = JSON.parse(await sdOk(u, ['pull', '--from', URL, '--json'])) as { changesets: { integrated: number } };
    expect(again.changesets.integrated).toBe(0);
    expect(content(u)).toEqual(whole);
  });

  it('a push to a server that went down is sent by the next push, once', async () => {
    fake().state.createIssue(REPO, 'alice', { title: 'Existing' });
    const u = sdUser('me@example.com', 'down');
    Object.assign(u.env, githubEnv(fake()));
    await sdOk(u, ['clone', '--from', URL]);
    u.ok(['ticket', 'create', '--summary', 'Sent late']);
    fake().down = true;
    expectOneLineError(await sdRun(u, ['push', '--to', URL]), /cannot reach GitHub|sent again/);
    fake().down = false;
    await sdOk(u, ['push', '--to', URL]);
    await sdOk(u, ['push', '--to', URL]);
    expect(fake().state.repo(REPO).issues.map((i) => i.title)).toEqual(['Existing', 'Sent late']);
  });
});
