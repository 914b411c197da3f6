import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();

describe.skipIf(!server)('the throwaway PostgreSQL of the hub tests', () => {
  it('answers on 127.0.0.1 and gives each test a database of its own', async () => {
    const [a, b] = [await freshDatabase(server!), await freshDatabase(server!)];
    expect(a).not.toBe(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; addr: string }>('SELECT current_database() AS db, inet_server_addr()::text AS addr');
      expect(`/${rows[0]!.db}`).toBe(new URL(a).pathname);
      expect(rows[0]!.addr).toBe('127.0.0.1/32');
    } finally {
      await client.end();
    }
  });
});
