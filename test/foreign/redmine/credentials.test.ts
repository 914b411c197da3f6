import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SD_BIN } from '../../sd/sd-cli.js';
import { Terminal } from '../../helpers/terminal.js';
import { allTickets, filesContaining, sdOk } from '../sd-side.js';
import { describeRedmine, freshProject, redmineUrl, redmineUser } from './redmine-test.js';
import { ADMIN_KEY } from './redmine-server.js';

describeRedmine('Redmine API keys', { timeout: 900_000 }, () => {
  it('asked for on a terminal with the answer hidden, saved only to the 0600 credentials file when the user says so, then used from there', async () => {
    const p = await freshProject();
    await p.rest.createIssue(p.project, { subject: 'Behind a key' }, { as: 'alice' });
    const u = redmineUser();
    delete u.env.REDMINE_API_KEY;
    const credentials = join(u.home, 'credentials');
    const env = { ...u.env, PROPHET_CREDENTIALS: credentials };
    const term = new Terminal([process.execPath, SD_BIN, 'clone', '--from', redmineUrl(p)], env, u.home);
    await term.waitFor(/Redmine API key for http:\/\/127\.0\.0\.1:\d+\/ \(under "My account"\):/);
    term.typeLine(ADMIN_KEY);
    await term.waitFor(/Save this key in .*credentials.*\[y\/N\]/);
    term.typeLine('y');
    const screen = await term.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/EXIT=0/);
    expect(screen).not.toContain(ADMIN_KEY);
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    // Only the credentials file holds it: not the replica, its config or anything else.
    expect(filesContaining(u.home, ADMIN_KEY)).toEqual([credentials]);

    await p.rest.createIssue(p.project, { subject: 'Pulled with the saved key' }, { as: 'bob' });
    await sdOk(u, ['pull', '--from', redmineUrl(p)], { PROPHET_CREDENTIALS: credentials });
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Behind a key', 'Pulled with the saved key']);
  });
});
