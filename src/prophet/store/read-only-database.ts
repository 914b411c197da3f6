import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProphetError } from '../model/errors.js';
import { DiskFullError, replicaNotWritable } from './disk-errors.js';
import { SCHEMA_VERSION, schemaVersion } from './schema.js';
import { sqlite, tune } from './sqlite-handle.js';
import { DEFAULT_BUSY_TIMEOUT_MS } from './write-transaction.js';

/** A WAL file holding commits not yet copied into the database. */
function hasLogContent(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
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
export function openReadOnly(file: string, why: 'full' | 'read-only'): Database.Database {
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
    tune(db, DEFAULT_BUSY_TIMEOUT_MS);
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
