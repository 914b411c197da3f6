import { describe, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { newReplica, testEnv } from '../helpers/temp-replica.js';
import { packsAcrossProcesses } from './two-process-packs.js';

describe('server processes behind a balancer, on one SQLite file', () => {
  it('serve any pack a manifest of another named, cut from the log by its range; a wrong range or name is refused', async () => {
    const a = newReplica();
    const b = Replica.open(a.root, { env: testEnv() });
    try {
      await packsAcrossProcesses(a, b);
    } finally {
      b.close();
    }
  });
});
