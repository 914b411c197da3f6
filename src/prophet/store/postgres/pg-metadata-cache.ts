/**
 * Metadata read often (Store.getMeta's `keepable`) that a PostgreSQL store
 * read outside a transaction, kept until any process may have changed it.
 * Every request a server answers reads its token here, and every push the
 * trust policy: without this, a round trip each. A trigger on the metadata
 * table notifies every connection when a write to it commits
 * (pg-schema.ts); the worker counts the notices (PgWorker.metadataEpoch),
 * and a different count empties the cache.
 * Another process's change is therefore seen once its notice arrives,
 * milliseconds after its commit; this process's own as soon as it commits.
 * Should notices never come (a pooler in transaction mode between the
 * process and PostgreSQL drops LISTEN), what is kept still expires.
 */
import { LRUCache } from 'lru-cache';
import type { PgConnection } from './pg-connection.js';

/**
 * Keys kept, at most: tokens are looked up by an id the client sends, so
 * requests with made-up ids must not grow the cache without bound.
 */
const KEPT = 1000;
/** How long a value is kept at most: a bound on how stale it can be when notices are lost, at the cost of a read per key this often. */
const KEPT_MS = 5000;

export class MetadataCache {
  /** `value` undefined: no such key, which is worth keeping too (a trust policy nobody set). */
  private readonly kept = new LRUCache<string, { value: string | undefined }>({ max: KEPT, ttl: KEPT_MS });
  /** The connection's metadataEpoch when the cache was last emptied: everything kept was read since. */
  private epoch: number | undefined;

  constructor(private readonly conn: PgConnection) {}

  /** `key`'s value, from the cache when nothing may have changed since it was read, else from `read`; `read` is never kept inside a transaction. */
  get(key: string, read: () => string | undefined): string | undefined {
    // Inside a transaction the store reads what the transaction sees, its own writes included.
    if (this.conn.lockedGeneration !== undefined) return read();
    // Taken before reading: a notice that arrives during the read makes the value stale at the next look.
    const epoch = this.conn.metadataEpoch;
    if (epoch !== this.epoch) {
      this.kept.clear();
      this.epoch = epoch;
    }
    const hit = this.kept.get(key);
    if (hit) return hit.value;
    const value = read();
    this.kept.set(key, { value });
    return value;
  }
}
