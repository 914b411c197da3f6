/**
 * Write transactions that wait their turn. Two things in SQLite refuse a
 * concurrent writer where it should wait:
 *
 * - a deferred transaction reads first and upgrades to a write later; in
 *   WAL mode that upgrade fails at once (SQLITE_BUSY_SNAPSHOT) when another
 *   process wrote in between, whatever the busy timeout;
 * - the busy handler polls in sleeps growing to 100 ms, so a process
 *   committing batch after batch (a long pull) takes the lock again long
 *   before a waiter looks.
 *
 * So every write transaction begins IMMEDIATE (it takes the write lock
 * before reading anything), polls for it every few milliseconds up to the
 * busy timeout, and a connection that just held the lock for long leaves
 * it free for a moment before taking it again, when another process has
 * said it is waiting (by touching `db.sqlite-waiters` as it polls): a
 * writer alone pays no pause.
 */
import type Database from 'better-sqlite3';
import { closeSync, openSync, statSync, utimesSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { fileOf } from './sqlite-handle.js';

export const BUSY_TIMEOUT_ENV = 'PROPHET_BUSY_TIMEOUT_MS';
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/** Longest sleep between two tries for the lock. */
const MAX_POLL_MS = 4;
/** A transaction holding the lock this long is a bulk writer's: it lets waiters in before its next one. */
const LONG_HOLD_MS = 100;
/** How long a bulk writer leaves the lock free: several polls of a waiter. */
const TURN_MS = 3 * (MAX_POLL_MS + 2);
/** A waiter touches the waiters file every few polls; a touch this recent means it is still waiting. */
const ANNOUNCE_EVERY = 3;
const WAITING_FRESH_MS = 50;

/** How long a write waits for another process's transaction: PROPHET_BUSY_TIMEOUT_MS, else 30 s. */
export function busyTimeoutFrom(env: NodeJS.ProcessEnv = process.env): number {
  const given = env[BUSY_TIMEOUT_ENV];
  if (given === undefined || given === '') return DEFAULT_BUSY_TIMEOUT_MS;
  if (!/^\d+$/.test(given.trim())) throw new ProphetError(`${BUSY_TIMEOUT_ENV} must be a number of milliseconds, not '${given}'`, 'usage');
  return Number(given);
}

/** The one line for a lock held past the timeout; `file` is the replica's database file. */
export function busyError(file: string, waitedMs: number): ProphetError {
  const seconds = Number((waitedMs / 1000).toFixed(1));
  return new ProphetError(`the replica at ${dirname(file)} is busy: another process has held it for ${seconds} s; try again`, 'busy');
}

export function isBusy(err: unknown): boolean {
  return ((err as { code?: unknown }).code as string | undefined)?.startsWith('SQLITE_BUSY') ?? false;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread: the transaction API is synchronous, as SQLite's own busy handler is. */
export function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** One connection's share of the write lock. */
class WriteTurn {
  private readonly timeoutMs: number;
  private readonly begin;
  private readonly commit;
  private readonly rollback;
  /** Until when this connection leaves the lock to waiters after a long hold. */
  private yieldUntil = 0;
  private readonly waitersFile: string;

  constructor(private readonly db: Database.Database) {
    this.timeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
    this.waitersFile = `${fileOf(db)}-waiters`;
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  run<T>(fn: () => T): T {
    this.acquire();
    const took = Date.now();
    try {
      const result = fn();
      this.commit.run();
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.rollback.run();
      throw err;
    } finally {
      if (Date.now() - took >= LONG_HOLD_MS) this.yieldUntil = Date.now() + TURN_MS;
    }
  }

  /** Whether another process asked for the lock lately: it touches the waiters file while it polls. */
  private someoneWaits(): boolean {
    try {
      return Date.now() - statSync(this.waitersFile).mtimeMs < WAITING_FRESH_MS;
    } catch {
      return false;
    }
  }

  /** Says, for a writer about to take the lock again, that this one is waiting for it. */
  private announceWaiting(): void {
    try {
      const now = new Date();
      closeSync(openSync(this.waitersFile, 'a'));
      utimesSync(this.waitersFile, now, now);
    } catch {
      // A directory we cannot write: the writer then takes no pause, and we wait a little longer.
    }
  }

  private acquire(): void {
    // After a long hold, leave the lock to a waiter for a moment; alone, go straight on.
    const pause = this.yieldUntil - Date.now();
    if (pause > 0 && this.someoneWaits()) sleep(pause);
    // SQLite's own handler would sleep in coarse steps: poll here instead.
    this.db.pragma('busy_timeout = 0');
    try {
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          this.begin.run();
          return;
        } catch (err) {
          if (!isBusy(err)) throw err;
          const waited = Date.now() - started;
          if (waited >= this.timeoutMs) throw busyError(fileOf(this.db), this.timeoutMs);
          if (attempt % ANNOUNCE_EVERY === 0) this.announceWaiting();
          // Jitter keeps waiting processes from polling in step.
          sleep(Math.min(MAX_POLL_MS, 1 + attempt, this.timeoutMs - waited) + Math.random() * 2);
        }
      }
    } finally {
      this.db.pragma(`busy_timeout = ${this.timeoutMs}`);
    }
  }
}

const turns = new WeakMap<Database.Database, WriteTurn>();
const rollbackListeners = new WeakMap<Database.Database, Array<() => void>>();

/**
 * Calls `listener` whenever a write transaction or savepoint on this
 * connection rolls back. Both replicas of a file share the connection, so
 * a cache of ids one of them wrote inside another's transaction (a savepoint
 * that committed, then the outer transaction rolled back) must hear of it.
 */
export function onRollback(db: Database.Database, listener: () => void): void {
  rollbackListeners.set(db, [...(rollbackListeners.get(db) ?? []), listener]);
}

/**
 * Runs `fn` in a write transaction: IMMEDIATE at the top level, waiting its
 * turn; a savepoint inside one already open. Rolls back if `fn` throws.
 */
export function writeTransaction<T>(db: Database.Database, fn: () => T): T {
  try {
    if (db.inTransaction) return db.transaction(fn)();
    let turn = turns.get(db);
    if (!turn) turns.set(db, (turn = new WriteTurn(db)));
    return turn.run(fn);
  } catch (err) {
    for (const listener of rollbackListeners.get(db) ?? []) listener();
    throw err;
  }
}
