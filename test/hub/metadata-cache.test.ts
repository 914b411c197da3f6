/**
 * A hub process keeps the metadata it read (its tokens, its trust policy)
 * until a write to it commits anywhere: its own writes at once, another
 * process's once PostgreSQL's notice arrives (pg-metadata-cache.ts).
 */
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { PostgresStore } from '../../src/prophet/store/postgres/postgres-store.js';
import { TICKETS_PATH } from '../../src/prophet/transports/push-protocol.js';
import { sandboxesRemovedAfterEach } from '../cli/helpers.js';
import { makeHub, startHubServers } from './hub-cli.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();
const newBox = sandboxesRemovedAfterEach();
/** Far more than a notice takes on one machine; a cache that is never told stays wrong past it. */
const NOTICE_WAIT_MS = 3000;

/** SQL run by another process, as an operator's psql would. */
function psql(url: string, sql: string): void {
  const r = spawnSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
}

/** Polls `read` until it gives `wanted`, for at most NOTICE_WAIT_MS: what it gave last. */
async function eventually<T>(read: () => T | Promise<T>, wanted: T): Promise<T> {
  const deadline = Date.now() + NOTICE_WAIT_MS;
  let seen = await read();
  while (seen !== wanted && Date.now() < deadline) {
    await sleep(10);
    seen = await read();
  }
  return seen;
}

describe.skipIf(!server)('metadata kept by a hub process', () => {
  it('is read again after a write: by this process at once, by another process or plain SQL once its notice arrives; a transaction always reads it', async () => {
    const url = freshDatabase(server!);
    const [connA, connB] = [new PgConnection(url), new PgConnection(url)];
    try {
      const [a, b] = [new PostgresStore(connA, 'main_'), new PostgresStore(connB, 'main_')];
      expect(a.getMeta('trust.policy')).toBeUndefined();

      // Written through another connection of this process: seen at the next read, with no wait.
      b.setMeta('trust.policy', 'require');
      expect(a.getMeta('trust.policy')).toBe('require');
      b.deleteMeta('trust.policy');
      expect(a.getMeta('trust.policy')).toBeUndefined();

      // Kept: a change that tells nobody (the trigger off) is not seen outside a transaction, but is inside one.
      psql(url, "ALTER TABLE main_metadata DISABLE TRIGGER USER; INSERT INTO main_metadata VALUES ('trust.policy', 'require'); ALTER TABLE main_metadata ENABLE TRIGGER USER");
      await sleep(100);
      expect(a.getMeta('trust.policy')).toBeUndefined();
      expect(a.transaction(() => a.getMeta('trust.policy'))).toBe('require');

      // Another process's write, by plain SQL: the trigger's notice empties the cache.
      psql(url, "UPDATE main_metadata SET value = 'optional' WHERE key = 'trust.policy'");
      expect(await eventually(() => a.getMeta('trust.policy'), 'optional')).toBe('optional');
      psql(url, 'TRUNCATE main_metadata');
      expect(await eventually(() => a.getMeta('trust.policy'), undefined)).toBeUndefined();
    } finally {
      connA.close();
      connB.close();
    }
  });

  it('expires what it kept after a few seconds when no notice comes (a pooler that drops LISTEN)', async () => {
    const url = freshDatabase(server!);
    const conn = new PgConnection(url);
    try {
      const store = new PostgresStore(conn, 'main_');
      expect(store.getMeta('trust.policy')).toBeUndefined();
      psql(url, "ALTER TABLE main_metadata DISABLE TRIGGER USER; INSERT INTO main_metadata VALUES ('trust.policy', 'require')");
      expect(store.getMeta('trust.policy')).toBeUndefined();
      await sleep(5200);
      expect(store.getMeta('trust.policy')).toBe('require');
    } finally {
      conn.close();
    }
  });

  it('a token revoked from the command line is refused by a running server process once the notice arrives', async () => {
    const box = newBox();
    const { url, token } = makeHub(box);
    const [hubServer] = await startHubServers(box, url, 1);
    const ask = async () => (await fetch(new URL(`${TICKETS_PATH}?replica=a&resolutions=b`, hubServer!.url), { headers: { authorization: `Bearer ${token}` } })).status;
    // Accepted, so the server process has read the token and keeps it.
    expect(await ask()).toBe(200);
    expect(await ask()).toBe(200);
    box.ok(['server', 'token', 'revoke', token.split('.')[0]!, '--store', url]);
    expect(await eventually(ask, 401)).toBe(401);
  });
});
