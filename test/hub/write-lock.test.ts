import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();

/** Advisory locks someone waits for, as PostgreSQL sees them. */
const waiters = (conn: PgConnection) => conn.value<number>("SELECT COUNT(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");

describe.skipIf(!server)('the hub write lock on PostgreSQL', () => {
  it('queues a second writer while the waiting process goes on answering reads, and hands the lock over', async () => {
    const url = freshDatabase(server!);
    const [a, b, reader] = [new PgConnection(url), new PgConnection(url), new PgConnection(url)];
    try {
      await a.lock('hub');
      let handedOver = false;
      const waiting = b.lock('hub').then(() => (handedOver = true));
      // This thread is not blocked by b's wait: it reads on another connection until PostgreSQL shows b queued.
      while (waiters(reader) === 0) await turn();
      expect(reader.value('SELECT 1')).toBe(1);
      expect(handedOver).toBe(false);
      a.unlock('hub');
      await waiting;
      expect(handedOver).toBe(true);
      expect(waiters(reader)).toBe(0);
    } finally {
      for (const c of [a, b, reader]) c.close();
    }
  });

  it('is let go when its holder loses its connection, so a crashed process never wedges the hub', async () => {
    const url = freshDatabase(server!);
    const [a, b, admin] = [new PgConnection(url), new PgConnection(url), new PgConnection(url)];
    try {
      await a.lock('hub');
      const waiting = b.lock('hub');
      while (waiters(admin) === 0) await turn();
      admin.query('SELECT pg_terminate_backend($1)', [a.value<number>('SELECT pg_backend_pid()')]);
      await waiting;
      expect(waiters(admin)).toBe(0);
    } finally {
      for (const c of [a, b, admin]) c.close();
    }
  });
});
