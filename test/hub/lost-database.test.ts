/**
 * A hub server losing its PostgreSQL, in the middle of a push or for a
 * while: the push is answered 503 and leaves nothing behind, the process
 * keeps serving, and the client's next push completes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { openHub } from '../../src/prophet/replication/hub.js';
import { pushOverHttp } from '../../src/prophet/replication/operations.js';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { entryToArray } from '../../src/prophet/transports/pack.js';
import { rowToEntry } from '../../src/prophet/transports/published-log.js';
import { oneLine, sandboxesRemovedAfterEach } from '../cli/helpers.js';
import { newReplica, testEnv } from '../helpers/temp-replica.js';
import { cloneFrom, recordsOf } from '../http/helpers.js';
import { call } from '../http/live-server.js';
import { hubLog, makeHub, startHubServers } from './hub-cli.js';
import { pgServer } from './pg-database.js';
import { PrivateCluster } from './private-cluster.js';

const newBox = sandboxesRemovedAfterEach();
/** The advisory lock the stalling trigger waits for while the test holds it. */
const STALL_LOCK = 4242;

/** A push batch of the replica's whole log, as `push` sends it. */
function pushBatch(replica: Replica): unknown {
  return {
    replica: { uuid: replica.uuid, database_uuid: replica.databaseUuid },
    resolutions: { uuid: replica.resdb.uuid, database_uuid: replica.resdb.databaseUuid },
    changesets: [...replica.rawChangesets(1)].map((row) => entryToArray(rowToEntry(row))),
    resolution_changesets: [],
  };
}

/**
 * Makes every changeset written to the hub wait, once its row is in, for a
 * lock `admin` holds: a push stops half-way through its transaction.
 */
function stallWrites(admin: PgConnection): void {
  admin.query(`SELECT pg_advisory_lock(${STALL_LOCK})`);
  admin.query(`CREATE FUNCTION stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_lock(${STALL_LOCK}); PERFORM pg_advisory_unlock(${STALL_LOCK}); RETURN NEW; END $$`);
  admin.query('CREATE TRIGGER stall AFTER INSERT ON main_changesets FOR EACH ROW EXECUTE FUNCTION stall()');
}

function stopStalling(admin: PgConnection): void {
  admin.query('DROP TRIGGER stall ON main_changesets');
  admin.query(`SELECT pg_advisory_unlock(${STALL_LOCK})`);
}

/** The backend of the server's connection once it waits in the trigger. */
async function stalledBackend(admin: PgConnection): Promise<number> {
  for (;;) {
    const pid = admin.value<number>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory' AND pid <> pg_backend_pid()");
    if (pid !== undefined) return pid;
    await sleep(10);
  }
}

describe.skipIf(!pgServer())('a hub server whose PostgreSQL connection dies mid-push', () => {
  it('answers 503 with one line and Retry-After, writes nothing of the push, keeps running, and takes the push again once PostgreSQL answers', async () => {
    const box = newBox();
    const seed = newReplica();
    seed.create('Bug', { summary: 'seeded' });
    const { url, token } = makeHub(box, seed.root);
    const [server] = await startHubServers(box, url, 1);
    const alice = await cloneFrom(new HttpSource(server!.url), 'alice@example.com');
    for (let i = 0; i < 3; i++) alice.create('Bug', { summary: `alice ${i}` });
    const before = hubLog(url);

    const admin = new PgConnection(url);
    try {
      stallWrites(admin);
      const push = call(server!, 'POST', '/push', pushBatch(alice), token);
      const backend = await stalledBackend(admin);
      // The push's first changeset is written, its transaction open: the connection goes now.
      admin.query('SELECT pg_terminate_backend($1)', [backend]);
      const answer = await push;
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.json).toEqual({ error: expect.stringMatching(/^the server's database is unavailable\b[^\n]*try again/) });
      stopStalling(admin);
    } finally {
      admin.close();
    }
    expect(hubLog(url)).toEqual(before);
    // The operator's log names the database and what happened to it, in one line.
    expect(server!.stderr()).toMatch(/^answering 503 while the database is unavailable: PostgreSQL at postgres:\/\/\S+ is unavailable \(terminating connection due to administrator command\); try again when it is back\n$/);
    expect(server!.child.exitCode).toBeNull();

    expect((await pushOverHttp(alice, server!.url, { token })).changesets.integrated).toBe(3);
    const hub = openHub(url, 'prophet', { env: testEnv() });
    try {
      expect(recordsOf(hub, 'Bug')).toEqual(recordsOf(alice, 'Bug'));
    } finally {
      hub.close();
    }
    expect(hubLog(url)).toHaveLength(before.length + 3);
  });
});

describe.skipIf(!pgServer())('a hub server while its PostgreSQL is stopped', () => {
  it('answers 503 and keeps running; `prophet push` says so in one line; once PostgreSQL is back the same push completes', async () => {
    const pg = await PrivateCluster.start();
    try {
      const url = pg.database('hub');
      const box = newBox();
      box.ok(['init']);
      box.create('Bug', { summary: 'seeded' });
      const { token } = makeHub(box, box.repo, url);
      const [server] = await startHubServers(box, url, 1);
      box.create('Bug', { summary: 'made while PostgreSQL is down' });
      const before = hubLog(url);

      pg.stop();
      const refused = await box.start(['push', '--to', server!.url, '--token', token]);
      expect(refused.code).toBe(1);
      expect(oneLine(refused.stderr), refused.stderr).toBe(true);
      expect(refused.stderr).toMatch(/^prophet: GET http:\/\/127\.0\.0\.1:\d+\/push\/tickets failed after 4 attempts: the server's database is unavailable: nothing was written; try again later\n$/);
      const local = Replica.open(box.repo, { env: testEnv() });
      const answers = [await call(server!, 'POST', '/push', pushBatch(local), token), await call(server!, 'GET', '/records/Bug')];
      local.close();
      for (const answer of answers) {
        expect(answer).toMatchObject({ status: 503, json: { error: "the server's database is unavailable: nothing was written; try again later" } });
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(server!.child.exitCode).toBeNull();

      pg.again();
      expect(hubLog(url)).toEqual(before);
      const pushed = await box.start(['push', '--to', server!.url, '--token', token]);
      expect(pushed.code, pushed.stderr).toBe(0);
      const hub = openHub(url, 'prophet', { env: testEnv() });
      const replica = Replica.open(box.repo, { env: testEnv() });
      try {
        expect(recordsOf(hub, 'Bug')).toEqual(recordsOf(replica, 'Bug'));
        expect(Object.keys(recordsOf(hub, 'Bug'))).toHaveLength(2);
      } finally {
        hub.close();
        replica.close();
      }
    } finally {
      pg.remove();
    }
  });
});
