import { join } from 'node:path';
import { describe, it } from 'vitest';
import { initSdReplica, openSdReplica } from '../../src/sd/model/app.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { sessionsAcrossProcesses } from './two-process-sessions.js';

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
