/**
 * A hub process keeps the metadata it read (its tokens, its trust policy)
 * until a write to it commits anywhere: its own writes at once, another
 * process's once PostgreSQL's notice arrives (pg-metadata-cache.ts).
 */
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { PostgresStore } from '../../src/prophet/store/postgres/postgres-store.js';
import { TICKETS_PATH } from '../../src/prophet/transports/push-protocol.js';
import { sandboxesRemovedAfterEach } from '../cli/helpers.js';
import { makeHub, startHubServers } from './hub-cli.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();
const newBox = sandboxesRemovedAfterEach();
/** Far more than a notice takes on one machine; a cache that is never told stays wrong past it. */
const poll = { timeout: 3000, interval: 10 };
const POLICY = 'trust.policy';

const closing: Array<() => unknown> = [];
afterEach(async () => {
  while (closing.length) await closing.pop()!();
});

/** Another session on the hub's database, as an operator's psql would be: it listens to nothing. */
async function operator(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  closing.push(() => client.end());
  return client;
}

/** A store on a connection of its own, closed after the test; reads ask for keeping, as a server's token reads do. */
function storeOn(url: string) {
  const conn = new PgConnection(url);
  closing.push(() => conn.close());
  const store = new PostgresStore(conn, 'main_');
  return { conn, store, policy: () => store.getMeta(POLICY, true) };
}

describe.skipIf(!server)('metadata kept by a hub process', () => {
  it("sees this process's own writes once they commit, not before and not later; a transaction and an unkept read always read the table", async () => {
    const url = freshDatabase(server!);
    const [a, b] = [storeOn(url), storeOn(url)];
    const sql = await operator(url);
    // No notices at all: what is seen here is the process's own doing.
    await sql.query('ALTER TABLE main_metadata DISABLE TRIGGER USER');
    expect(a.policy()).toBeUndefined();

    b.store.setMeta(POLICY, 'require');
    expect(a.policy()).toBe('require');
    b.store.deleteMeta(POLICY);
    expect(a.policy()).toBeUndefined();

    // Read while b's write is not yet committed: that read must not outlive the commit.
    b.store.transaction(() => {
      b.store.setMeta(POLICY, 'require');
      expect(a.policy()).toBeUndefined();
    });
    expect(a.policy()).toBe('require');

    // Kept: a write that tells nobody is not seen by a kept read, but is by a transaction and by a read not asked to be kept.
    await sql.query("UPDATE main_metadata SET value = 'optional' WHERE key = $1", [POLICY]);
    expect(a.policy()).toBe('require');
    expect(a.store.transaction(() => a.store.getMeta(POLICY, true))).toBe('optional');
    expect(a.store.getMeta(POLICY)).toBe('optional');
  });

  it("sees another session's writes once PostgreSQL's notice arrives, also after its own connection was lost and made again", async () => {
    const url = freshDatabase(server!);
    const sql = await operator(url);
    const a = storeOn(url);
    expect(a.policy()).toBeUndefined();

    await sql.query("INSERT INTO main_metadata VALUES ($1, 'require')", [POLICY]);
    await expect.poll(a.policy, poll).toBe('require');
    await sql.query('TRUNCATE main_metadata');
    await expect.poll(a.policy, poll).toBeUndefined();

    // Losing the connection forgets what was kept: the change made meanwhile, silently, is seen.
    await sql.query('ALTER TABLE main_metadata DISABLE TRIGGER USER');
    await sql.query("INSERT INTO main_metadata VALUES ($1, 'require')", [POLICY]);
    const before = a.conn.metadataEpoch;
    await sql.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    await expect.poll(() => a.conn.metadataEpoch, poll).not.toBe(before);
    expect(() => a.policy()).toThrow(/unavailable/);
    expect(a.policy()).toBe('require');
    // The new connection listens again.
    await sql.query('ALTER TABLE main_metadata ENABLE TRIGGER USER');
    await sql.query("UPDATE main_metadata SET value = 'optional' WHERE key = $1", [POLICY]);
    await expect.poll(a.policy, poll).toBe('optional');
  });

  it('expires what it kept after a few seconds when no notice comes (a pooler that drops LISTEN)', async () => {
    const url = freshDatabase(server!);
    const sql = await operator(url);
    const a = storeOn(url);
    expect(a.policy()).toBeUndefined();
    await sql.query('ALTER TABLE main_metadata DISABLE TRIGGER USER');
    await sql.query("INSERT INTO main_metadata VALUES ($1, 'require')", [POLICY]);
    expect(a.policy()).toBeUndefined();
    await sleep(5200);
    expect(a.policy()).toBe('require');
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
    await expect.poll(ask, poll).toBe(401);
  });
});
