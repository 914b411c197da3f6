/**
 * Opening a hub: a replica in a PostgreSQL database (docs/hub.md), named
 * by `--store postgres://…` where a replica on disk is named by `--repo`.
 */
import { ProphetError } from '../model/errors.js';
import { Replica, type OpenOptions } from '../replica/replica.js';
import { PostgresStorage } from '../store/postgres/postgres-storage.js';

/** The hub in the database at `url`; a database holding none gets a message saying how to make one. */
export function openHub(url: string, appName: string, opts: OpenOptions = {}): Replica {
  const storage = new PostgresStorage(url, opts.env);
  if (!storage.holdsReplica()) {
    storage.close();
    throw new ProphetError(`${storage.location} holds no ${appName} hub: make one with '${appName} hub init --store URL [--from REPLICA]'`, 'not-replica');
  }
  return Replica.openIn(storage, opts);
}
