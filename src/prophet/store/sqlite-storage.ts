import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { describeSqliteError } from './open-database.js';
import type { TablePrefix } from './schema.js';
import { SqliteStore } from './sqlite-store.js';
import type { ReplicaStorage, TicketAsk } from './storage.js';

/** The embedded default: both stores in one SQLite file in the replica's directory. */
export class SqliteStorage implements ReplicaStorage {
  readonly directory: string;
  readonly database: string;
  readonly engine = 'sqlite';

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
    fileName: string,
  ) {
    this.directory = location;
    this.database = join(location, fileName);
  }

  private readonly stores = new Map<TablePrefix, SqliteStore>();

  store(prefix: TablePrefix): SqliteStore {
    let store = this.stores.get(prefix);
    if (!store) this.stores.set(prefix, (store = new SqliteStore(this.db, prefix)));
    return store;
  }

  mergeTickets(asks: ReadonlyArray<TicketAsk>): number[] {
    return asks.map(({ prefix, replicaUuid }) => this.store(prefix).getMergeTicket(replicaUuid));
  }

  holdsReplica(): boolean {
    return this.store('main_').getMeta('replica-uuid') !== undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  skipSyncs(): void {
    this.db.pragma('synchronous = OFF');
  }

  makeDurable(): void {
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.pragma('synchronous = NORMAL');
  }

  describeError(err: unknown): unknown {
    return (err as { code?: string } | undefined)?.code?.startsWith('SQLITE_') ? describeSqliteError(err, this.database) : err;
  }
}
