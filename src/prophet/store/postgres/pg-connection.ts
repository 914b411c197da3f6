/**
 * A synchronous connection to PostgreSQL, so the PostgreSQL store offers
 * the same synchronous Store as SQLite (docs/hub.md, "Decision"): `pg` runs
 * in a worker thread and this thread blocks until it answers. A server
 * process therefore does one database request at a time, as on
 * better-sqlite3; concurrency comes from running several processes.
 */
import { ProphetError } from '../../model/errors.js';
import { redactUrls } from '../../model/redact.js';
import type { PgAnswer, PgRequest } from './pg-protocol.js';
import { PgWorker } from './pg-thread.js';

/** How long one statement may take before PostgreSQL cancels it: PROPHET_PG_TIMEOUT_MS, else 30 s. */
export const PG_TIMEOUT_ENV = 'PROPHET_PG_TIMEOUT_MS';
const DEFAULT_TIMEOUT_MS = 30_000;
/** The wait for the worker beyond PostgreSQL's own deadline: for a server that stopped answering at all. */
const WORKER_GRACE_MS = 5_000;

/** SQLSTATE classes of a connection lost or a server going away, and socket failures: the hub answers these with 503. */
const UNAVAILABLE = /^(08|57P0)|^(closed|timeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/;

let shared: PgWorker | undefined;
let nextId = 1;

export class PgConnection {
  private id = nextId++;
  /** The connection was lost: `revive` opens another. */
  private lost = false;
  private readonly worker = (shared ??= new PgWorker());
  private readonly timeoutMs: number;
  private open = true;

  constructor(
    private readonly url: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.timeoutMs = Number(env[PG_TIMEOUT_ENV]) > 0 ? Number(env[PG_TIMEOUT_ENV]) : DEFAULT_TIMEOUT_MS;
    this.connect();
  }

  private connect(): void {
    this.answer(this.call({ kind: 'open', id: this.id, url: this.url, statementTimeoutMs: this.timeoutMs }), 'connect');
  }

  /**
   * After a lost connection, a new one. Only the caller knows when that is
   * safe: outside a transaction, since the lost one took its transaction
   * with it and statements that followed on a new connection would commit
   * alone.
   */
  revive(): void {
    if (!this.lost) return;
    this.call({ kind: 'close', id: this.id });
    this.id = nextId++;
    this.lost = false;
    this.connect();
  }

  /** The rows of one statement (or of the last of several, without parameters), each as an array of its columns. */
  query(sql: string, params: unknown[] = []): unknown[][] {
    return this.answer(this.call({ kind: 'query', id: this.id, sql, params }), sql);
  }

  /**
   * Waits for the session lock `key` (pg_advisory_lock) without blocking
   * this thread, so a process queued behind another's write goes on
   * answering reads on its other connections. Only this connection's next
   * statements wait for it: issue none until it is held.
   */
  async lock(key: string): Promise<void> {
    this.revive();
    this.answer(await this.worker.callAsync({ kind: 'query', id: this.id, sql: 'SELECT pg_advisory_lock(hashtext($1))', params: [key] }), 'the lock');
  }

  /** Lets the next waiter for `key` have it. Losing the connection lets it go too. */
  unlock(key: string): void {
    this.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
  }

  /** The first column of the first row, or undefined when there is none. */
  value<T>(sql: string, params: unknown[] = []): T | undefined {
    return this.query(sql, params)[0]?.[0] as T | undefined;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.call({ kind: 'close', id: this.id });
  }

  private call(request: PgRequest): PgAnswer {
    return this.worker.call(request, this.timeoutMs + WORKER_GRACE_MS);
  }

  private answer(answer: PgAnswer, what: string): unknown[][] {
    if ('rows' in answer) return answer.rows;
    const { message, code } = answer.error;
    const where = redactUrls(this.url);
    if (UNAVAILABLE.test(code)) {
      this.lost = true;
      throw new ProphetError(`PostgreSQL at ${where} is unavailable (${message}); try again when it is back`, 'io');
    }
    throw new ProphetError(`PostgreSQL at ${where} refused ${what.split('\n')[0]!.slice(0, 80)}: ${message}`, 'io');
  }
}
