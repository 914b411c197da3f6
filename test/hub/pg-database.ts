import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { PgServer } from './pg-server.js';

/** The run's PostgreSQL, or null when it could not be had (its tests skip: see global-setup.ts). */
export function pgServer(): PgServer | null {
  return inject('pgServer');
}

/** A new, empty database on the run's PostgreSQL, for one test: its URL. It goes with the cluster at the end of the run. */
export async function freshDatabase(server: PgServer): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}
