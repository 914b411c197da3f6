import Database from 'better-sqlite3';
import { ProphetError } from '../model/errors.js';
import { migrate } from './schema.js';
import { busyError, DEFAULT_BUSY_TIMEOUT_MS, isBusy } from './write-transaction.js';

/** Turns SQLite's failures into one line a user can act on; `busyTimeoutMs` is how long SQLite waited before a busy error. */
export function describeSqliteError(err: unknown, file: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Error {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' && /read-?only/i.test(String(err))) {
    return new ProphetError(`cannot write to ${file}: it is read-only; check the file's permissions`, 'io');
  }
  if (code === 'SQLITE_FULL') return new ProphetError(`cannot write to ${file}: the disk is full; free some space and try again`, 'io');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new ProphetError(`${file} is not a prophet database (SQLite says: ${(err as Error).message})`, 'io');
  }
  if (code === 'SQLITE_CANTOPEN') return new ProphetError(`cannot open ${file}: ${(err as Error).message}`, 'io');
  if (isBusy(err)) return busyError(file, busyTimeoutMs);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Opens (or creates) the replica's SQLite file in WAL mode at the current
 * schema. `busyTimeoutMs` bounds every wait for another process's lock.
 */
export function openDatabase(file: string, opts: { create: boolean; readonly?: boolean; busyTimeoutMs?: number }): Database.Database {
  const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: !opts.create, readonly: opts.readonly ?? false });
    // First: switching a new file to WAL takes a lock another opener may hold.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // WAL with synchronous=NORMAL keeps every commit atomic across a crash.
      db.pragma('synchronous = NORMAL');
    }
    // A fixed 64 MiB page cache: large replicas stay fast, memory stays flat.
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = OFF');
    if (!opts.readonly) migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof ProphetError) throw err;
    throw describeSqliteError(err, file, busyTimeoutMs);
  }
}
