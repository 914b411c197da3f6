import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();

describe.skipIf(!server)('the throwaway PostgreSQL of the hub tests', () => {
  it('answers on 127.0.0.1 and gives each test a database of its own', () => {
    const [a, b] = [freshDatabase(server!), freshDatabase(server!)];
    expect(a).not.toBe(b);
    const conn = new PgConnection(a);
    try {
      expect(conn.query('SELECT current_database(), inet_server_addr()::text')).toEqual([[new URL(a).pathname.slice(1), '127.0.0.1/32']]);
    } finally {
      conn.close();
    }
  });
});
