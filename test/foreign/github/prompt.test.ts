import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../helpers/terminal.js';
import { SD_BIN, sdUser } from '../../sd/sd-cli.js';
import { allTickets, filesContaining, sdOk } from '../sd-side.js';
import { githubEnv, TOKEN, useFakeGitHub } from './github-test.js';

const REPO = 'octo/tracker';
const fake = useFakeGitHub(REPO);

describe('GitHub token from a prompt', { timeout: 180_000 }, () => {
  it('asks on the terminal without echoing the token, saves it to the 0600 credentials file only when told to, and uses it next time', async () => {
    fake().state.createIssue(REPO, 'alice', { title: 'Asked for' });
    const u = sdUser('me@example.com', 'prompt');
    const credentials = join(u.home, 'credentials');
    const env = { ...u.env, ...githubEnv(fake(), null), PROPHET_CREDENTIALS: credentials };
    const term = new Terminal([process.execPath, SD_BIN, 'clone', '--from', `github:${REPO}`], env, u.home);
    await term.waitFor(/GitHub token for .*issues\):/);
    term.typeLine(TOKEN);
    await term.waitFor(/Save this token in .*\[y\/N\]/);
    term.typeLine('y');
    const screen = await term.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/EXIT=0/);
    expect(screen).not.toContain(TOKEN);
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    expect(filesContaining(u.home, TOKEN)).toEqual([credentials]);

    fake().state.createIssue(REPO, 'bob', { title: 'Read with the saved token' });
    await sdOk(u, ['pull', '--from', `github:${REPO}`], { ...githubEnv(fake(), null), PROPHET_CREDENTIALS: credentials });
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Asked for', 'Read with the saved token']);
  });
});
