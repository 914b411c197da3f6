/**
 * A synchronous connection to PostgreSQL, so the PostgreSQL store offers
 * the same synchronous Store as SQLite (docs/hub.md, "Decision"): `pg` runs
 * in a worker thread and this thread blocks until it answers. A server
 * process therefore does one database request at a time, as on
 * better-sqlite3; concurrency comes from running several processes.
 */
import { ProphetError } from '../../model/errors.js';
import { redactUrls } from '../../model/redact.js';
import type { PgAnswer, PgRequest, PgStatement } from './pg-protocol.js';
import { PgWorker } from './pg-thread.js';

/** How long one statement may take before PostgreSQL cancels it: PROPHET_PG_TIMEOUT_MS, else 30 s. */
export const PG_TIMEOUT_ENV = 'PROPHET_PG_TIMEOUT_MS';
const DEFAULT_TIMEOUT_MS = 30_000;
/** The wait for the worker beyond PostgreSQL's own deadline: for a server that stopped answering at all. */
const WORKER_GRACE_MS = 5_000;

/** SQLSTATE classes of a connection lost or a server going away, and socket failures: the hub answers these with 503. */
const UNAVAILABLE = /^(08|57P0)|^(closed|timeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/;
/** The URL names a database the server does not have. */
const NO_DATABASE = '3D000';
/** A statement cancelled by statement_timeout. */
const TIMED_OUT = '57014';

/**
 * The database's write lock, taken by every transaction as it begins and
 * let go as it ends (docs/hub.md): what BEGIN IMMEDIATE is to SQLite. Any
 * key would do; this one says whose it is.
 */
const WRITE_LOCK = "hashtext('prophet write')";

/** Prepared statements get names up to this many distinct texts, so statements built per request can never grow the worker without bound. */
const MOST_PREPARED = 200;
const preparedNames = new Map<string, string>();

/** The name `sql` is prepared under, if it is to be. */
function preparedName(sql: string): string | undefined {
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MOST_PREPARED) preparedNames.set(sql, (name = `p${preparedNames.size}`));
  return name;
}

/** Adds a value to a statement's parameters and answers its placeholder (`$3`). */
export type Param = (value: unknown) => string;

/** Columns read with a BEGIN, and what takes their values. */
export interface BeginReads {
  columns: string[];
  take(values: unknown[]): void;
}

let shared: PgWorker | undefined;
let nextId = 1;

export class PgConnection {
  private id = nextId++;
  /** The connection was lost: `revive` opens another. */
  private lost = false;
  private readonly worker = (shared ??= new PgWorker());
  private readonly timeoutMs: number;
  private open = true;
  /** Open transactions and savepoints: 0 outside a transaction. Both prefixes' stores share them, as they share one transaction. */
  private depth = 0;
  /** Numbers each outer transaction, and each rollback within one: what a store read under the lock stays true until it changes. */
  private generation = 0;
  /** Writes held back until the next statement (`defer`). */
  private deferred: PgStatement[] = [];
  /** The open transaction wrote metadata: the epoch is bumped when it ends, committed or not (`wroteMetadata`). */
  private metadataWritten = false;
  /** Reads sent with each BEGIN once the lock is held (`readAtBegin`). */
  private readonly atBegin: Array<(param: Param) => BeginReads> = [];

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
  private revive(): void {
    if (!this.lost) return;
    this.call({ kind: 'close', id: this.id });
    this.id = nextId++;
    this.lost = false;
    this.connect();
  }

  /**
   * The rows of one statement (or of the last of several, without
   * parameters), each as an array of its columns. `prepared`: a statement
   * made often with other values, worth PostgreSQL parsing and planning
   * once (never one whose best plan depends much on its values).
   */
  query(sql: string, params: unknown[] = [], prepared = false): unknown[][] {
    if (this.depth === 0) this.revive();
    const statements = [...this.deferred, { sql, params, name: prepared ? preparedName(sql) : undefined }];
    this.deferred = [];
    const answer = this.call({ kind: 'query', id: this.id, statements });
    return this.answer(answer, statements['error' in answer ? (answer.error.at ?? statements.length - 1) : 0]!.sql);
  }

  /**
   * A write whose answer nobody needs, held back inside a transaction and
   * sent with the statement after it (at the latest COMMIT), in the same
   * round trip: a changeset's writes then cost one round trip with the
   * next read instead of one each. A failure surfaces at that statement,
   * still inside the transaction, which then rolls back whole.
   */
  defer(sql: string, params: unknown[], prepared = false): void {
    if (this.depth === 0) this.query(sql, params, prepared);
    else this.deferred.push({ sql, params, name: prepared ? preparedName(sql) : undefined });
  }

  /**
   * One transaction holding the database's write lock, so writers in
   * every process take turns as SQLite's do: each changeset's sequence
   * number is the latest plus one, and merge tickets read inside are
   * current. Nested calls are savepoints, so an inner failure undoes only
   * its own part when caught.
   */
  transaction<T>(fn: () => T): T {
    const outer = this.depth === 0;
    const savepoint = `s${this.depth}`;
    const handOut = outer ? this.beginLocked() : (this.query(`SAVEPOINT ${savepoint}`), undefined);
    if (outer) this.generation++;
    this.depth++;
    try {
      handOut?.();
      const result = fn();
      this.query(outer ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (err) {
      this.generation++;
      // Held back since the last statement, so all after the savepoint being undone: never sent.
      this.deferred = [];
      try {
        this.query(outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
      } catch {
        // The connection is gone: PostgreSQL rolled the transaction back itself.
      }
      throw err;
    } finally {
      this.depth--;
      if (outer && this.metadataWritten) {
        this.metadataWritten = false;
        this.worker.bumpMetadataEpoch();
      }
    }
  }

  /**
   * Inside a transaction, a number that stays the same for as long as
   * nothing it wrote was undone; undefined outside one. Holding the write
   * lock, nobody else changes the log or the merge tickets, so a store may
   * keep what it read or wrote of them under one number.
   */
  get lockedGeneration(): number | undefined {
    return this.depth > 0 ? this.generation : undefined;
  }

  /**
   * Has `reads` made for every transaction (scalar subqueries, given their
   * values through `param`) and read at its start, once the lock is held,
   * in BEGIN's round trip: what a store would otherwise ask for first, each
   * time, under the lock (its latest sequence number, say).
   */
  readAtBegin(reads: (param: Param) => BeginReads): void {
    this.atBegin.push(reads);
  }

  /**
   * BEGIN, the write lock and the reads at BEGIN in one round trip (the
   * reads pipelined behind the lock, so they see what the last holder
   * committed): a push pays for each. Answers those reads.
   */
  private beginLocked(): () => void {
    this.revive();
    const params: unknown[] = [];
    const param: Param = (value) => `$${params.push(value)}`;
    const reads = this.atBegin.map((build) => build(param));
    const sql = `SELECT ${reads.flatMap((r) => r.columns).join(', ') || 'NULL'}`;
    const lock = `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;
    const answer = this.call({ kind: 'query', id: this.id, statements: [{ sql: lock, params: [] }, { sql, params, name: preparedName(sql) }] });
    if ('error' in answer) {
      // A lost connection took the transaction with it; otherwise the BEGIN stands and is undone.
      if (!UNAVAILABLE.test(answer.error.code)) this.query('ROLLBACK');
      if (answer.error.code === TIMED_OUT) {
        throw new ProphetError(`the hub at ${redactUrls(this.url)} is busy: another process held its write lock for ${Number((this.timeoutMs / 1000).toFixed(1))} s; try again`, 'busy');
      }
    }
    const values = this.answer(answer, 'BEGIN')[0] ?? [];
    return () => {
      let at = 0;
      for (const { columns, take } of reads) take(values.slice(at, (at += columns.length)));
    };
  }

  /** Changes whenever a metadata table may have changed, in this process or any other (PgWorker.metadataEpoch). */
  get metadataEpoch(): number {
    return this.worker.metadataEpoch;
  }

  /**
   * This connection wrote a metadata table: whatever any connection of the
   * process kept of one is stale once the write commits. Told then, not
   * before, so no other connection can read the old value in between and
   * keep it under the new epoch.
   */
  wroteMetadata(): void {
    if (this.depth === 0) this.worker.bumpMetadataEpoch();
    else this.metadataWritten = true;
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
      throw new ProphetError(`PostgreSQL at ${where} is unavailable (${message}); try again when it is back`, 'unavailable');
    }
    if (code === NO_DATABASE) throw new ProphetError(`PostgreSQL at ${where} ${message}: create it first (createdb NAME), then make a hub in it with 'hub init --store URL'`, 'not-found');
    throw new ProphetError(`PostgreSQL at ${where} refused ${what.split('\n')[0]!.slice(0, 80)}: ${message}`, 'io');
  }
}
