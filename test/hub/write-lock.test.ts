import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { PostgresStore } from '../../src/prophet/store/postgres/postgres-store.js';
import { ChangesetKind, type Store } from '../../src/prophet/store/store.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();
const ORIGIN = '00000002-0000-4000-8000-000000000000';

const append = (s: Store, n: number) => s.appendChangeset({ origin_uuid: ORIGIN, origin_seq: n, created: '2026-01-01T00:00:00.000Z', kind: ChangesetKind.Normal, hash: `h${n}`, body: `{"n":${n}}` });

/** Another process (psql) holding the hub's write lock inside a transaction for `seconds`, having appended to the log first; resolves once the lock is held. */
async function otherWriter(url: string, seconds: number): Promise<ChildProcess> {
  const sql = `BEGIN; SELECT pg_advisory_xact_lock(hashtext('prophet write')); INSERT INTO main_changesets (seq, origin_uuid, origin_seq, created, kind, hash, body) VALUES (1, '${ORIGIN}', 1, 'x', 0, 'other', '{}'); SELECT pg_sleep(${seconds}); COMMIT;`;
  const child = spawn('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { stdio: 'ignore' });
  const watcher = new PgConnection(url);
  try {
    while (!watcher.value<boolean>("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid())")) await sleep(10);
  } finally {
    watcher.close();
  }
  return child;
}

describe.skipIf(!server)('the hub write lock on PostgreSQL', () => {
  it('makes a transaction wait for another process\'s, then see what it wrote: sequence numbers stay gapless across processes', async () => {
    const url = freshDatabase(server!);
    const conn = new PgConnection(url);
    try {
      const store = new PostgresStore(conn, 'main_');
      const other = await otherWriter(url, 0.4);
      const started = Date.now();
      // The other writer's changeset is seq 1, committed while this one waited: this one's is 2.
      expect(store.transaction(() => append(store, 2))).toBe(2);
      expect(Date.now() - started).toBeGreaterThan(200);
      expect(store.changesetBySeq(1)?.hash).toBe('other');
      other.kill();
    } finally {
      conn.close();
    }
  });

  it('gives up after the statement timeout with a one-line busy error, writing nothing', async () => {
    const url = freshDatabase(server!);
    const conn = new PgConnection(url, { PROPHET_PG_TIMEOUT_MS: '300' });
    try {
      const store = new PostgresStore(conn, 'main_');
      const other = await otherWriter(url, 3);
      expect(() => store.transaction(() => append(store, 1))).toThrow(/^the hub at postgres:\/\/.* is busy: another process held its write lock for 0.3 s; try again$/);
      other.kill('SIGKILL');
      // The other writer's backend is still in its sleep: end it, and its transaction with it.
      const admin = new PgConnection(url);
      admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'psql'");
      while (admin.value<boolean>("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory')")) await sleep(10);
      admin.close();
      expect(store.latestSeq()).toBe(0);
      expect(store.transaction(() => append(store, 1))).toBe(1);
    } finally {
      conn.close();
    }
  });
});
