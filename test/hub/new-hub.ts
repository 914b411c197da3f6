import { afterEach } from 'vitest';
import { Replica, type InitOptions } from '../../src/prophet/replica/replica.js';
import { PostgresStorage } from '../../src/prophet/store/postgres/postgres-storage.js';
import { testEnv } from '../helpers/temp-replica.js';
import { freshDatabase, pgServer } from './pg-database.js';

const opened: Replica[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

/** A new, empty hub in a database of its own on the run's PostgreSQL (what `hub init --store URL` makes), closed after the test. */
export function newHub(opts: InitOptions = {}): Replica {
  const hub = Replica.initIn(new PostgresStorage(freshDatabase(pgServer()!)), { env: testEnv(), ...opts });
  opened.push(hub);
  return hub;
}
