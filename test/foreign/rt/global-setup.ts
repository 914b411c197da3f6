/**
 * vitest globalSetup: one real RT 5 for the whole run, shared by every test
 * file through `provide('rtServer')`, stopped at the end, only when the run
 * includes a test file under test/foreign/rt/ or test/foreign/gateway/ (see
 * ../server-setup.ts). `SD_RT_URL=http://127.0.0.1:19480` uses an RT
 * already running (started by rt-setup.sh; its files in SD_RT_DIR);
 * otherwise rt-setup.sh installs RT if missing (~5 min on a loaded machine,
 * once) and starts a fresh one on a free port: never the development
 * server's.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { trackerGlobalSetup } from '../server-setup.js';
import { RT_PASSWORD, RT_USER } from './rt-server.js';

export default function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  return trackerGlobalSetup(project, {
    tracker: 'RT',
    name: 'rt',
    pkg: 'request-tracker5',
    script: join(import.meta.dirname, 'rt-setup.sh'),
    envPrefix: 'RT',
    urlEnv: 'SD_RT_URL',
    dirEnv: 'SD_RT_DIR',
    // The gateway tests relay between RT and other trackers.
    folders: ['test/foreign/rt', 'test/foreign/gateway'],
    serverKey: 'rtServer',
    unavailableKey: 'rtUnavailable',
    server: (url, port, dir) => ({ url, user: RT_USER, password: RT_PASSWORD, port, dir }),
  });
}
