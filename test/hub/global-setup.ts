/**
 * vitest globalSetup: one private, throwaway PostgreSQL cluster for the
 * whole run (pg-setup.sh: initdb, trust authentication, 127.0.0.1 only, on
 * a free port), shared by every test file through `provide('pgServer')`,
 * stopped and removed at the end, only when the run includes a test file
 * under test/hub/. Debian's postgresql is installed if its binaries are
 * missing (as root). `PROPHET_TEST_PG_URL=postgres://user@host:port/db`
 * uses a PostgreSQL already running instead; its user must be allowed to
 * create databases.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { trackerGlobalSetup } from '../foreign/server-setup.js';
import { PG_ADMIN_USER } from './pg-server.js';

export default function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  return trackerGlobalSetup(project, {
    tracker: 'PostgreSQL',
    name: 'pg',
    pkg: 'postgresql',
    script: join(import.meta.dirname, 'pg-setup.sh'),
    envPrefix: 'PG',
    urlEnv: 'PROPHET_TEST_PG_URL',
    dirEnv: 'PROPHET_TEST_PG_DIR',
    folders: ['test/hub'],
    serverKey: 'pgServer',
    unavailableKey: 'pgUnavailable',
    server: (url, port, dir) => ({ url: url.startsWith('postgres') ? url : `postgres://${PG_ADMIN_USER}@127.0.0.1:${port}/postgres`, port, dir }),
  });
}
