import Database from 'better-sqlite3';
import { ProphetError } from '../model/errors.js';
import { migrate } from './schema.js';

/** Turns SQLite's failures into one line a user can act on. */
export function describeSqliteError(err: unknown, file: string): Error {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' && /read-?only/i.test(String(err))) {
    return new ProphetError(`cannot write to ${file}: it is read-only; check the file's permissions`, 'io');
  }
  if (code === 'SQLITE_FULL') return new ProphetError(`cannot write to ${file}: the disk is full; free some space and try again`, 'io');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new ProphetError(`${file} is not a prophet database (SQLite says: ${(err as Error).message})`, 'io');
  }
  if (code === 'SQLITE_CANTOPEN') return new ProphetError(`cannot open ${file}: ${(err as Error).message}`, 'io');
  if (code === 'SQLITE_BUSY') return new ProphetError(`${file} is locked by another process; try again in a moment`, 'io');
  return err instanceof Error ? err : new Error(String(err));
}

/** Opens (or creates) the replica's SQLite file in WAL mode at the current schema. */
export function openDatabase(file: string, opts: { create: boolean; readonly?: boolean }): Database.Database {
  try {
    const db = new Database(file, { fileMustExist: !opts.create, readonly: opts.readonly ?? false });
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // WAL with synchronous=NORMAL keeps every commit atomic across a crash.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 5000');
    // A fixed 64 MiB page cache: large replicas stay fast, memory stays flat.
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = OFF');
    if (!opts.readonly) migrate(db);
    return db;
  } catch (err) {
    if (err instanceof ProphetError) throw err;
    throw describeSqliteError(err, file);
  }
}
