import { describe, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { PostgresStorage } from '../../src/prophet/store/postgres/postgres-storage.js';
import { sdAppDefinition } from '../../src/sd/model/app.js';
import { testEnv } from '../helpers/temp-replica.js';
import { packsAcrossProcesses } from '../http/two-process-packs.js';
import { sessionsAcrossProcesses } from '../http/two-process-sessions.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();

/** Two handles on one new hub, as two server processes hold them. */
async function twoProcesses(app: typeof sdAppDefinition | undefined, scenario: (a: Replica, b: Replica) => Promise<void>): Promise<void> {
  const url = freshDatabase(server!);
  const a = Replica.initIn(new PostgresStorage(url), { env: testEnv(), app });
  const b = Replica.openIn(new PostgresStorage(url), { env: testEnv(), app });
  try {
    await scenario(a, b);
  } finally {
    a.close();
    b.close();
  }
}

describe.skipIf(!server)('server processes behind a balancer, on one PostgreSQL hub', () => {
  it('serve any pack a manifest of another named, cut from the log by its range; a wrong range or name is refused', async () => {
    await twoProcesses(undefined, packsAcrossProcesses);
  });

  it('share browser logins: a login on one is known to the other; a logout or a revoked token ends it on both', async () => {
    await twoProcesses(sdAppDefinition, sessionsAcrossProcesses);
  });
});
