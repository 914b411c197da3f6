import type Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { syncDirectory } from './atomic-file.js';
import { describeFsError, DiskFullError, diskTrouble, replicaNotWritable } from './disk-errors.js';
import { openReadOnly } from './read-only-database.js';
import { migrate, type SchemaUpgradeListener } from './schema.js';
import { busyError, DEFAULT_BUSY_TIMEOUT_MS, isBusy } from './write-transaction.js';
import { sqlite, tune } from './sqlite-handle.js';

/** SQLite failures that mean "could not write here", which the disk may explain. */
function isWriteFailure(code: string): boolean {
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code === 'SQLITE_CANTOPEN';
}

/** Turns SQLite's failures into one line a user can act on; `busyTimeoutMs` is how long SQLite waited before a busy error. */
export function describeSqliteError(err: unknown, file: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Error {
  const code = (err as { code?: string }).code ?? '';
  const root = dirname(file);
  if (isWriteFailure(code)) {
    const trouble = existsSync(root) ? diskTrouble(root) : undefined;
    if (code === 'SQLITE_FULL' || trouble === 'full') return new DiskFullError(root);
    if (trouble === 'read-only' || code.startsWith('SQLITE_READONLY')) return replicaNotWritable(root);
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new ProphetError(`${file} is not a prophet database (SQLite says: ${(err as Error).message})`, 'io');
  }
  if (code === 'SQLITE_CANTOPEN') return new ProphetError(`cannot open ${file}: ${(err as Error).message}`, 'io');
  if (isBusy(err)) return busyError(file, busyTimeoutMs);
  return err instanceof Error ? err : new Error(String(err));
}

/** Bytes of write-ahead log after which a commit copies its pages into the database file. */
const CHECKPOINT_BYTES = 64 * 1024 * 1024;

/**
 * The page size of a new file (an existing one keeps its own): with 8 KiB
 * instead of SQLite's 4 KiB, a record row of a ticket's dozen values
 * leaves less of each page unused, and the 50,000-ticket anchor file is
 * 1 MiB smaller and its bulk create no slower (docs/architecture.md).
 */
const PAGE_SIZE = 8192;

/** Reading and writing, in WAL mode, brought to the current schema. */
function openWritable(file: string, create: boolean, busyTimeoutMs: number, onUpgrade?: SchemaUpgradeListener): Database.Database {
  const db = sqlite(file, { fileMustExist: !create });
  try {
    // First: switching a new file to WAL takes a lock another opener may hold.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL keeps every commit atomic across a crash.
    db.pragma('synchronous = NORMAL');
    // Checkpoints every 64 MiB of log instead of SQLite's 4 MiB: a bulk
    // transaction dirties pages all over the property index, and copying
    // them back after every commit wrote the file a second time (a 50,000-
    // record create wrote 1,070 MB for a 92 MiB file; now 740 MB, 20% less
    // time). After a checkpoint the log file is cut back to that size.
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_BYTES / (db.pragma('page_size', { simple: true }) as number)}`);
    db.pragma(`journal_size_limit = ${CHECKPOINT_BYTES}`);
    tune(db, busyTimeoutMs);
    migrate(db, onUpgrade);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Creates the file before SQLite does, with `mode`: SQLite gives its -wal
 * and -shm files the database file's mode, so they are private too.
 */
function createFile(file: string, mode: number): boolean {
  try {
    closeSync(openSync(file, 'wx', mode));
    return true;
  } catch (err) {
    // Another process creating a replica here at the same instant: its file, and the replica-uuid check under the lock decides.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export interface OpenDatabaseOptions {
  create: boolean;
  /** The mode of a file created here (the umask applies). Default 0o666. */
  mode?: number;
  /** How long any wait for another process's lock may last. */
  busyTimeoutMs?: number;
  onUpgrade?: SchemaUpgradeListener;
}

/**
 * Opens (or creates) the replica's SQLite file in WAL mode at the current
 * schema. A replica on a read-only or full disk is opened for reading:
 * searching, cloning from and serving it work, and the first write says
 * why it cannot be made.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions): Database.Database {
  const root = dirname(file);
  const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let created = false;
  try {
    if (opts.create && !existsSync(file)) created = createFile(file, opts.mode ?? 0o666);
    const trouble = diskTrouble(root);
    if (trouble === 'read-only' && !opts.create) return openReadOnly(file, trouble);
    try {
      const db = openWritable(file, opts.create, busyTimeoutMs, opts.onUpgrade);
      // A new replica's directory entries must survive a power loss too.
      if (created) for (const dir of [root, dirname(root)]) syncDirectory(dir);
      return db;
    } catch (err) {
      const now = opts.create ? undefined : diskTrouble(root);
      if (err instanceof ProphetError || !now) throw err;
      return openReadOnly(file, now);
    }
  } catch (err) {
    // A replica that could not be made leaves nothing behind that looks like one.
    if (created) removeDatabase(file);
    if ((err as NodeJS.ErrnoException).syscall) throw describeFsError(err, root, opts.create ? 'create a replica there' : 'open the replica there');
    throw describeSqliteError(err, file, busyTimeoutMs);
  }
}

/** Removes a database that never became a replica (its creation failed), with SQLite's files beside it. */
export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}
