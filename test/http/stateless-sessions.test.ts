import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/prophet/server/tokens.js';
import { initSdReplica, openSdReplica } from '../../src/sd/model/app.js';
import { sdWebUi } from '../../src/sd/web/extension.js';
import { bindReadOnly, mounting, skipNote, unmountAll } from '../helpers/mounts.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { serve } from './live-server.js';
import { Browser, loggedIn, sessionsAcrossProcesses } from './two-process-sessions.js';

afterAll(unmountAll);

describe('browser sessions of server processes behind a balancer, on one SQLite file', () => {
  it('a login on one is known to the other; a logout or a revoked token ends it on both', async () => {
    const root = join(tempDir(), 'replica');
    const a = initSdReplica(root, { env: testEnv() });
    const b = openSdReplica(root, { env: testEnv() });
    try {
      await sessionsAcrossProcesses(a, b);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe.skipIf(!mounting.ok)(skipNote('browser logins on a replica on a read-only disk'), () => {
  it('are kept in the memory of the server process, which cannot write them to the replica', async () => {
    const dir = tempDir();
    const made = initSdReplica(join(dir, 'replica'), { env: testEnv() });
    const { token } = createToken(made, 'browser', { scopes: ['read'] });
    made.close();
    const replica = openSdReplica(join(bindReadOnly(dir), 'replica'), { env: testEnv() });
    try {
      const server = await serve(replica, { public: false, extensions: [sdWebUi] });
      const browser = new Browser();
      expect(await browser.post(server, '/ui/login', '/ui/login', { token })).toEqual({ status: 303, location: '/ui/' });
      const session = browser.cookie;
      expect(await loggedIn(browser, server)).toBe(true);
      expect((await browser.post(server, '/ui/', '/ui/logout', {})).status).toBe(303);
      browser.cookie = session;
      expect(await loggedIn(browser, server)).toBe(false);
    } finally {
      replica.close();
    }
  });
});
