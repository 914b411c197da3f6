import { redactUrls } from '../../model/redact.js';
import type { TablePrefix } from '../schema.js';
import type { ReplicaStorage, TicketAsk } from '../storage.js';
import { PgConnection } from './pg-connection.js';
import { PostgresStore, readMergeTickets } from './postgres-store.js';

/** Whether a `--store` value names a PostgreSQL database. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/**
 * A hub's replica in a PostgreSQL database (docs/hub.md): both stores'
 * tables in it, on one connection, so a changeset and its resolutions
 * commit in one transaction. It has no directory: a hub's settings are
 * its records and metadata, and the server's are its command line.
 */
export class PostgresStorage implements ReplicaStorage {
  readonly location: string;
  readonly directory = undefined;
  readonly engine = 'postgresql';
  private readonly conn: PgConnection;

  get database(): string {
    return this.location;
  }
  private readonly stores = new Map<TablePrefix, PostgresStore>();

  constructor(url: string, env: NodeJS.ProcessEnv = process.env) {
    this.location = redactUrls(url);
    this.conn = new PgConnection(url, env);
  }

  store(prefix: TablePrefix): PostgresStore {
    let store = this.stores.get(prefix);
    if (!store) this.stores.set(prefix, (store = new PostgresStore(this.conn, prefix)));
    return store;
  }

  mergeTickets(asks: ReadonlyArray<TicketAsk>): number[] {
    return readMergeTickets(this.conn, asks.map(({ prefix, replicaUuid }) => ({ store: this.store(prefix), replicaUuid })));
  }

  /** Read before any store is made, since making one creates its tables. */
  holdsReplica(): boolean {
    if (!this.conn.value<boolean>("SELECT to_regclass('main_metadata') IS NOT NULL")) return false;
    return this.conn.value<string>("SELECT value FROM main_metadata WHERE key = 'replica-uuid'") !== undefined;
  }

  close(): void {
    this.conn.close();
  }

  /** A commit returns before PostgreSQL has flushed it: for a hub being filled that nobody uses yet. */
  skipSyncs(): void {
    this.conn.query('SET synchronous_commit = off');
  }

  /** Commits wait for the disk again; those before are flushed by PostgreSQL's WAL writer within a fraction of a second. */
  makeDurable(): void {
    this.conn.query('SET synchronous_commit = on');
  }

  describeError(err: unknown): unknown {
    return err;
  }
}
