import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProphetError } from '../model/errors.js';
import { syncDirectory } from './atomic-file.js';
import { describeFsError, DiskFullError, diskTrouble, replicaNotWritable } from './disk-errors.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema.js';

/** SQLite failures that mean "could not write here", which the disk may explain. */
function isWriteFailure(code: string): boolean {
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code === 'SQLITE_CANTOPEN';
}

/** Turns SQLite's failures into one line a user can act on. */
export function describeSqliteError(err: unknown, file: string): Error {
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
  if (code === 'SQLITE_BUSY') return new ProphetError(`${file} is locked by another process; try again in a moment`, 'io');
  return err instanceof Error ? err : new Error(String(err));
}

/** Reading and writing, in WAL mode, brought to the current schema. */
function openWritable(file: string, create: boolean): Database.Database {
  const db = sqlite(file, { fileMustExist: !create });
  try {
    db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL keeps every commit atomic across a crash.
    db.pragma('synchronous = NORMAL');
    tune(db);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function tune(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  // A fixed 64 MiB page cache: large replicas stay fast, memory stays flat.
  db.pragma('cache_size = -65536');
  db.pragma('foreign_keys = OFF');
}

/** A WAL file holding commits not yet copied into the database. */
function hasLogContent(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Every open goes through here. better-sqlite3 takes URI file names (for
 * `immutable`, below) only when SQLITE_USE_URI is set as it loads its
 * addon, which it does at the first open of the process. Our own file
 * names are absolute paths, never URIs, so nothing else changes.
 */
function sqlite(name: string, options: Database.Options): Database.Database {
  const before = process.env.SQLITE_USE_URI;
  process.env.SQLITE_USE_URI ??= '1';
  try {
    return new Database(name, options);
  } finally {
    if (before === undefined) delete process.env.SQLITE_USE_URI;
  }
}

/**
 * Opens an SQLite file for reading only by URI with `immutable=1`: no
 * locks, no -shm or -wal file, which a read-only or full disk cannot hold.
 */
function openImmutable(file: string): Database.Database {
  return sqlite(`${pathToFileURL(file).href}?immutable=1`, { readonly: true, fileMustExist: true });
}

/**
 * Reading a replica that cannot be written. SQLite reads a WAL database
 * read-only when its -wal and -shm files exist (a replica in use
 * elsewhere); after a clean close they are gone and cannot be created
 * here, and then nothing is in the log, so the file alone is the whole
 * database and it is read as immutable.
 */
function openReadOnly(file: string, why: 'full' | 'read-only'): Database.Database {
  const root = dirname(file);
  let db: Database.Database | undefined;
  try {
    db = sqlite(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db?.close();
    db = undefined;
    if (hasLogContent(file)) {
      if (why === 'full') throw new DiskFullError(root);
      throw new ProphetError(
        `the replica at ${root} is on a read-only disk (or not writable) and was not closed cleanly (its ${file}-wal holds changes): open it once where it can be written`,
        'read-only',
      );
    }
    if (!(err as { code?: string }).code?.startsWith('SQLITE_')) throw err;
  }
  db ??= openImmutable(file);
  try {
    tune(db);
    const version = schemaVersion(db);
    if (version < SCHEMA_VERSION) {
      throw why === 'full' ? new DiskFullError(root) : replicaNotWritable(root, `upgrade its database to this release (schema ${version} to ${SCHEMA_VERSION})`);
    }
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
function createFile(file: string, mode: number): void {
  closeSync(openSync(file, 'wx', mode));
}

export interface OpenDatabaseOptions {
  create: boolean;
  /** The mode of a file created here (the umask applies). Default 0o666. */
  mode?: number;
}

/**
 * Opens (or creates) the replica's SQLite file in WAL mode at the current
 * schema. A replica on a read-only or full disk is opened for reading:
 * searching, cloning from and serving it work, and the first write says
 * why it cannot be made.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions): Database.Database {
  const root = dirname(file);
  let created = false;
  try {
    if (opts.create && !existsSync(file)) {
      createFile(file, opts.mode ?? 0o666);
      created = true;
    }
    const trouble = diskTrouble(root);
    if (trouble === 'read-only' && !opts.create) return openReadOnly(file, trouble);
    try {
      const db = openWritable(file, opts.create);
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
    throw describeSqliteError(err, file);
  }
}

/** Removes a database that never became a replica (its creation failed), with SQLite's files beside it. */
export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}
