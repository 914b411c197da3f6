import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { PostgresStore } from '../../src/prophet/store/postgres/postgres-store.js';
import { ChangesetKind, type Store } from '../../src/prophet/store/store.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();
const ORIGIN = '00000001-0000-4000-8000-000000000000';

const append = (s: Store, n: number) => s.appendChangeset({ origin_uuid: ORIGIN, origin_seq: n, created: '2026-01-01T00:00:00.000Z', kind: ChangesetKind.Normal, hash: `h${n}`, body: `{"n":${n}}` });

describe.skipIf(!server)('the PostgreSQL store losing its connection', () => {
  it('fails the transaction it was in, leaves nothing of it behind, and works again on a new connection', () => {
    const url = freshDatabase(server!);
    const conn = new PgConnection(url);
    const admin = new PgConnection(server!.url);
    try {
      const store = new PostgresStore(conn, 'main_');
      append(store, 1);
      const pid = conn.value<number>('SELECT pg_backend_pid()');
      expect(() =>
        store.transaction(() => {
          append(store, 2);
          store.setMergeTicket(ORIGIN, 2);
          admin.query('SELECT pg_terminate_backend($1)', [pid]);
          append(store, 3);
        }),
      ).toThrow(/PostgreSQL at .* is unavailable/);
      expect(store.latestSeq()).toBe(1);
      expect(store.getMergeTicket(ORIGIN)).toBe(0);
      expect(conn.value<number>('SELECT pg_backend_pid()')).not.toBe(pid);
      expect(store.transaction(() => append(store, 2))).toBe(2);
    } finally {
      conn.close();
      admin.close();
    }
  });

  it('says which server is unavailable, its password masked, when there is none', () => {
    const url = new URL(server!.url);
    url.port = '1';
    url.password = 'secret';
    expect(() => new PgConnection(url.toString())).toThrow(/PostgreSQL at postgres:\/\/postgres:\*+@127\.0\.0\.1:1\/postgres is unavailable/);
  });
});
