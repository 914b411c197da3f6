/**
 * vitest globalSetup: one real Redmine 5 for the whole run, shared by every
 * test file through `provide('redmineServer')`, stopped at the end, only
 * when the run includes a test file under test/foreign/redmine/ or
 * test/foreign/gateway/ (see ../server-setup.ts).
 * `SD_REDMINE_URL=http://127.0.0.1:19580` uses a Redmine already running
 * (started by redmine-setup.sh; its files in SD_REDMINE_DIR); otherwise
 * redmine-setup.sh installs Redmine if missing (~2.5 min on a loaded
 * machine, once) and starts a fresh instance on a free port.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { trackerGlobalSetup } from '../server-setup.js';
import { ADMIN_KEY } from './redmine-server.js';

export default function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  return trackerGlobalSetup(project, {
    tracker: 'Redmine',
    name: 'redmine',
    pkg: 'redmine',
    script: join(import.meta.dirname, 'redmine-setup.sh'),
    envPrefix: 'RM',
    env: { RM_API_KEY: ADMIN_KEY },
    urlEnv: 'SD_REDMINE_URL',
    dirEnv: 'SD_REDMINE_DIR',
    // The gateway tests relay between Redmine and other trackers.
    folders: ['test/foreign/redmine', 'test/foreign/gateway'],
    serverKey: 'redmineServer',
    unavailableKey: 'redmineUnavailable',
    server: (url, port, dir) => ({ url, port, dir }),
  });
}
