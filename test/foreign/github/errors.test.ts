import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../http/static-server.js';
import { sdUser, type SdUser } from '../../sd/sd-cli.js';
import { allTickets, expectOneLineError, filesContaining, replicaState, sdOk, sdRun } from '../sd-side.js';
import { githubEnv, TOKEN, useFakeGitHub } from './github-test.js';

const REPO = 'octo/tracker';
const URL = `github:${REPO}`;
const fake = useFakeGitHub(REPO);
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function cloned(): Promise<SdUser> {
  fake().state.createIssue(REPO, 'alice', { title: 'Existing' });
  const u = sdUser('me@example.com', 'errors');
  await sdOk(u, ['clone', '--from', URL], githubEnv(fake()));
  return u;
}

/** Runs sd, expects one line of error mentioning `mentions`, no token, and the replica as it was. */
async function failsCleanly(u: SdUser, args: string[], env: NodeJS.ProcessEnv, ...mentions: RegExp[]): Promise<void> {
  const before = replicaState(u);
  const r = await sdRun(u, args, env);
  expectOneLineError(r, ...mentions);
  expect(r.stdout + r.stderr).not.toContain(TOKEN);
  expect(replicaState(u)).toBe(before);
}

describe('GitHub: bad input gives one line on stderr, a non-zero exit, the replica unchanged', () => {
  it('a token GitHub refuses (401)', async () => {
    const u = await cloned();
    await failsCleanly(u, ['pull', '--from', URL], githubEnv(fake(), 'ghp_wrong'), /refused the token \(401/, /GITHUB_TOKEN/);
  });

  it('no token and no terminal to ask on', async () => {
    const u = await cloned();
    await failsCleanly(u, ['pull', '--from', URL], githubEnv(fake(), null), /no token/, /GITHUB_TOKEN/);
  });

  it('a repository that does not exist (404)', async () => {
    const u = await cloned();
    await failsCleanly(u, ['pull', '--from', 'github:octo/no-such-repo'], githubEnv(fake()), /no repository octo\/no-such-repo/);
  });

  it('an API address that answers HTML', async () => {
    const u = await cloned();
    const html = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>'));
    const { url, close } = await listen(html);
    closers.push(close);
    await failsCleanly(u, ['pull', '--from', URL], { GITHUB_API_URL: url, GITHUB_TOKEN: TOKEN }, /HTML instead of JSON/, /GITHUB_API_URL/);
  });

  it('a server that is down', async () => {
    const u = await cloned();
    fake().down = true;
    await failsCleanly(u, ['pull', '--from', URL], githubEnv(fake()), new RegExp(`GitHub at ${fake().url.replace(/[.]/g, '\\.')}`));
    const { url, close } = await listen(createServer());
    await close();
    await failsCleanly(u, ['pull', '--from', URL], { GITHUB_API_URL: url, GITHUB_TOKEN: TOKEN }, /cannot reach GitHub .*connection refused/);
  });

  it('a URL that names no repository', async () => {
    const u = await cloned();
    await failsCleanly(u, ['pull', '--from', 'github:just-a-name'], githubEnv(fake()), /not a GitHub repository URL/, /github:OWNER\/REPO/);
  });
});

describe('GitHub token', () => {
  it('from GITHUB_TOKEN: never written to any file or printed; from the credentials file when the environment has none', async () => {
    fake().state.createIssue(REPO, 'alice', { title: 'Kept secret' });
    const u = sdUser('me@example.com', 'token');
    const outputs: string[] = [];
    for (const args of [['clone', '--from', URL, '--json'], ['pull', '--from', URL], ['push', '--to', URL, '--json']]) {
      const r = await sdRun(u, args, githubEnv(fake()));
      expect(r.code, r.stderr).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
    for (const out of outputs) expect(out).not.toContain(TOKEN);
    expect(filesContaining(u.home, TOKEN)).toEqual([]);

    const credentials = join(u.home, 'credentials');
    writeFileSync(credentials, `[credential "github:${fake().url}"]\n\ttoken = ${TOKEN}\n`, { mode: 0o600 });
    fake().state.createIssue(REPO, 'bob', { title: 'Read with the saved token' });
    await sdOk(u, ['pull', '--from', URL], { ...githubEnv(fake(), null), PROPHET_CREDENTIALS: credentials });
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Kept secret', 'Read with the saved token']);
  });
});
