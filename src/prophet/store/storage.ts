import type { TablePrefix } from './schema.js';
import type { Store } from './store.js';

/** One store's ticket for one replica's log. */
export interface TicketAsk {
  prefix: TablePrefix;
  replicaUuid: string;
}

/**
 * Where a replica's two stores live (its own tables and its resolution
 * database's, written in one transaction), and what only the engine
 * behind them can do. One SQLite file for a replica on a disk; one
 * PostgreSQL database for a hub (docs/hub.md).
 */
export interface ReplicaStorage {
  /** Where it is, for messages: a directory, or a database URL without its password. */
  readonly location: string;
  /** The directory holding the replica's own files (its config), when it has one. */
  readonly directory: string | undefined;
  /** What holds the data, for `info`: the SQLite file, or the database's URL without its password. */
  readonly database: string;
  readonly engine: 'sqlite' | 'postgresql';
  /** The store of one prefix's tables: the same one each time it is asked for. */
  store(prefix: TablePrefix): Store;
  /** Merge tickets of several of its stores at once: one round trip where a read costs one (a hub's). */
  mergeTickets(asks: ReadonlyArray<TicketAsk>): number[];
  /** Whether a replica was made here, asked without making or changing anything (a database holding other things is left alone). */
  holdsReplica(): boolean;
  close(): void;
  /** Stops waiting for each commit to be durable: only while building something nobody can see yet. */
  skipSyncs(): void;
  /** Makes everything written so far durable, then waits for each commit again. */
  makeDurable(): void;
  /** The engine's own failure as an error a user can act on; anything else unchanged. */
  describeError(err: unknown): unknown;
}
