import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import type { PgServer } from './pg-server.js';

/** The run's PostgreSQL, or null when it could not be had (its tests skip: see global-setup.ts). */
export function pgServer(): PgServer | null {
  return inject('pgServer');
}

/** A new, empty database on the run's PostgreSQL, for one test: its URL. It goes with the cluster at the end of the run. */
export function freshDatabase(server: PgServer): string {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new PgConnection(server.url);
  try {
    admin.query(`CREATE DATABASE ${name}`);
  } finally {
    admin.close();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}
