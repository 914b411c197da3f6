import { describe, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { PostgresStore } from '../../src/prophet/store/postgres/postgres-store.js';
import { storeContract } from '../store/contract.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();

if (server) {
  storeContract('PostgreSQL', () => {
    const conn = new PgConnection(freshDatabase(server));
    return { store: new PostgresStore(conn, 'main_'), close: () => conn.close() };
  });
} else {
  describe('storage engine contract: PostgreSQL', () => it.skip('needs the run\'s PostgreSQL (test/hub/global-setup.ts)', () => undefined));
}
