/**
 * A hub as its operator makes and runs it, from the command line:
 * `hub init --store URL`, a token, and `prophet server --store URL`
 * processes, all on the run's PostgreSQL.
 */
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import type { Sandbox } from '../cli/helpers.js';
import { startProphetServer, type ServerProcess } from '../http/live-server.js';
import { freshDatabase, pgServer } from './pg-database.js';

export interface MadeHub {
  url: string;
  /** A token with the read and push scopes. */
  token: string;
}

/** A hub in the database at `url` (a new one on the run's PostgreSQL by default), seeded from the replica at `from` when given, and a push token for it. */
export function makeHub(box: Sandbox, from?: string, url = freshDatabase(pgServer()!)): MadeHub {
  box.ok(['hub', 'init', '--store', url, ...(from === undefined ? [] : ['--from', from])]);
  const token = box.ok(['server', 'token', 'create', '--store', url, '--scope', 'read,push']).split('\n')[0]!;
  return { url, token };
}

/** `count` writable `prophet server --store URL` processes on one hub, each on a port of its own; stopped after the test. */
export function startHubServers(box: Sandbox, url: string, count: number): Promise<ServerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startProphetServer(box, ['--store', url, '--writable'])));
}

/** The hub's log as PostgreSQL holds it, in sequence order. */
export function hubLog(url: string): Array<{ seq: number; origin: string; originSeq: number }> {
  const conn = new PgConnection(url);
  try {
    return conn.query('SELECT seq, origin_uuid, origin_seq FROM main_changesets ORDER BY seq').map(([seq, origin, originSeq]) => ({ seq: Number(seq), origin: String(origin), originSeq: Number(originSeq) }));
  } finally {
    conn.close();
  }
}
