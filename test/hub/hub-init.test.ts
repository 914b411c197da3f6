/**
 * `prophet hub init --store URL [--from REPLICA]` from the command line:
 * what it makes, how it resumes, and what it refuses, each in one line.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ProphetError } from '../../src/prophet/model/errors.js';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { runQuery } from '../../src/prophet/replica/query.js';
import { openHub } from '../../src/prophet/replication/hub.js';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { oneLine, PROPHET_BIN, sandboxesRemovedAfterEach } from '../cli/helpers.js';
import { newReplica, testEnv } from '../helpers/temp-replica.js';
import { recordsOf } from '../http/helpers.js';
import { hubLog } from './hub-cli.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();
const newBox = sandboxesRemovedAfterEach();

interface Made {
  database_uuid: string;
  replica_uuid: string;
  latest_sequence_no: number;
  integrated?: number;
}

/** What the hub at `url` holds, read in this process: its identities, its log's changesets by origin, its records, what two searches find. */
function hubContents(url: string) {
  const hub = openHub(url, 'prophet', { env: testEnv() });
  try {
    const searches = new Map(['ipsum', 'summary:"bug 7"'].map((query) => [query, runQuery(hub, 'Bug', query).records.length]));
    return { databaseUuid: hub.databaseUuid, resolutionsUuid: hub.resdb.databaseUuid, uuid: hub.uuid, changesets: changesetsOf(hub), records: recordsOf(hub, 'Bug'), found: (query: string) => searches.get(query) };
  } finally {
    hub.close();
  }
}

const changesetsOf = (replica: Replica) => [...replica.rawChangesets(1)].map((row) => `${row.origin_seq}@${row.origin_uuid} ${row.hash}`);

/** A metadata value of the hub, straight from PostgreSQL. */
function hubMeta(url: string, key: string): string | undefined {
  const conn = new PgConnection(url);
  try {
    return conn.value<string>('SELECT value FROM main_metadata WHERE key = $1', [key]);
  } finally {
    conn.close();
  }
}

/** The hub's log, or nothing before `hub init` made its tables. */
function logSoFar(url: string): number {
  try {
    return hubLog(url).length;
  } catch (err) {
    if (err instanceof ProphetError && /does not exist/.test(err.message)) return 0;
    throw err;
  }
}

describe.skipIf(!server)('prophet hub init', () => {
  it('--from a replica makes a hub of its database holding every one of its changesets', () => {
    const box = newBox();
    const replica = newReplica();
    const { uuid } = replica.create('Bug', { summary: 'first', status: 'new' });
    for (let i = 0; i < 10; i++) replica.create('Bug', { summary: `bug ${i}` });
    replica.update('Bug', uuid, { status: 'open' });
    const url = freshDatabase(server!);

    const made = box.json<Made>(['hub', 'init', '--store', url, '--from', replica.root]);
    expect(made).toMatchObject({ database_uuid: replica.databaseUuid, latest_sequence_no: replica.latestSequenceNo(), integrated: replica.latestSequenceNo() });
    const hub = hubContents(url);
    expect(hub).toMatchObject({ databaseUuid: replica.databaseUuid, resolutionsUuid: replica.resdb.databaseUuid, uuid: made.replica_uuid });
    expect(hub.uuid).not.toBe(replica.uuid);
    expect(hub.changesets).toEqual(changesetsOf(replica));
    expect(hub.records).toEqual(recordsOf(replica, 'Bug'));
  });

  it('run again after being cut short, carries on into the same hub and ends with every changeset once', async () => {
    const box = newBox();
    const replica = newReplica();
    // About 1 MiB a changeset: a seeding commits every 16 MiB, so a kill lands after a commit and before the end.
    const filler = 'lorem ipsum dolor sit amet '.repeat(40_000);
    for (let i = 0; i < 24; i++) replica.create('Bug', { summary: `bug ${i}`, notes: filler });
    const url = freshDatabase(server!);

    const first = spawn(process.execPath, [PROPHET_BIN, 'hub', 'init', '--store', url, '--from', replica.root], { env: box.env, cwd: box.dir, stdio: 'ignore' });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    while (logSoFar(url) === 0) await sleep(20);
    // The first transaction is in: stop it as a power cut or a kill -9 would.
    first.kill('SIGKILL');
    await exited;
    const partial = hubLog(url).length;
    const stamped = hubMeta(url, 'replica-uuid');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(replica.latestSequenceNo());

    const again = box.json<Made>(['hub', 'init', '--store', url, '--from', replica.root]);
    expect(again).toMatchObject({ replica_uuid: stamped, database_uuid: replica.databaseUuid, latest_sequence_no: replica.latestSequenceNo(), integrated: replica.latestSequenceNo() - partial });
    const hub = hubContents(url);
    expect(hub.changesets).toEqual(changesetsOf(replica));
    expect(hub.records).toEqual(recordsOf(replica, 'Bug'));
    // The indexes the cut-short bulk load left behind were rebuilt: full text and property searches find what they should.
    expect(hub.found('ipsum')).toBe(24);
    expect(hub.found('summary:"bug 7"')).toBe(1);
  });

  it('refuses, in one line, a database holding a hub of another database, and a second empty hub', () => {
    const box = newBox();
    const ours = newReplica();
    ours.create('Bug', { summary: 'ours' });
    const theirs = newReplica();
    theirs.create('Bug', { summary: 'theirs' });
    const url = freshDatabase(server!);
    box.ok(['hub', 'init', '--store', url, '--from', ours.root]);
    const before = hubLog(url);

    const other = box.fails(['hub', 'init', '--store', url, '--from', theirs.root]);
    expect(other.code).toBe(1);
    expect(oneLine(other.stderr), other.stderr).toBe(true);
    expect(other.stderr).toBe(`prophet: the hub at ${url.replace('postgres@', '***@')} holds database ${ours.databaseUuid}, and ${theirs.root} is of database ${theirs.databaseUuid}: seed an empty database instead\n`);
    const empty = box.fails(['hub', 'init', '--store', url]);
    expect(oneLine(empty.stderr), empty.stderr).toBe(true);
    expect(empty.stderr).toMatch(/holds a hub already; serve it with 'prophet server --store URL'/);
    expect(hubLog(url)).toEqual(before);
  });

  it('refuses a --store that is not a PostgreSQL URL, or given with --repo, as a usage error in one line', () => {
    const box = newBox();
    const url = freshDatabase(server!);
    const cases: Array<[string[], string]> = [
      [['--store', 'not-a-url'], "prophet: --store takes a PostgreSQL URL (postgres://USER@HOST/DATABASE), not 'not-a-url'; a replica directory is given with --repo\n"],
      [['--store', url, '--repo', box.repo], 'prophet: give --repo DIR or --store URL, not both: one names a replica on disk, the other a hub database\n'],
      [[], "prophet: which database? give --store postgres://USER@HOST/DATABASE (usage: prophet hub init --store postgres://USER@HOST/DATABASE [--from REPLICA] [--token TOKEN])\n"],
    ];
    for (const [args, message] of cases) {
      const r = box.fails(['hub', 'init', ...args]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: message });
    }
    expect(logSoFar(url)).toBe(0);
  });

  it('says in one line, without a stack, that a PostgreSQL nobody answers for is unavailable', () => {
    const box = newBox();
    const r = box.fails(['hub', 'init', '--store', 'postgres://prophet:secret@127.0.0.1:1/hub']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('prophet: PostgreSQL at postgres://prophet:***@127.0.0.1:1/hub is unavailable (connect ECONNREFUSED 127.0.0.1:1); try again when it is back\n');
  });

  it('says in one line how to make the database a URL names when the server has none', () => {
    const url = new URL(freshDatabase(server!));
    url.pathname = '/no_such_database';
    const r = newBox().fails(['hub', 'init', '--store', url.toString()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^prophet: PostgreSQL at postgres:\/\/\S+\/no_such_database database "no_such_database" does not exist: create it first \(createdb NAME\), then make a hub in it with 'hub init --store URL'\n$/);
  });

  it('leaves a database that holds no hub as it found it when a command is pointed at it by mistake', () => {
    const url = freshDatabase(server!);
    const conn = new PgConnection(url);
    try {
      conn.query('CREATE TABLE theirs (id int)');
      const r = newBox().fails(['log', '--store', url]);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr.trimEnd()).toMatch(/^prophet: postgres:\/\/.* holds no prophet hub: make one with 'prophet hub init --store URL \[--from REPLICA\]'$/);
      expect(conn.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).toEqual([['theirs']]);
    } finally {
      conn.close();
    }
  });
});
