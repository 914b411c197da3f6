import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * better-sqlite3 and its addon load at the first open, not with the CLI:
 * commands that open no replica (`help`, `version`) start without them.
 */
let driver: typeof Database | undefined;
function loadDriver(): typeof Database {
  driver ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  return driver;
}

/**
 * Every SQLite handle of Prophet is made here. better-sqlite3 takes URI
 * file names (for `immutable`, in read-only-database.ts) only when
 * SQLITE_USE_URI is set as it loads its addon, which it does at the first
 * open of the process. Our own file names are absolute paths, never URIs,
 * so nothing else changes.
 */
export function sqlite(name: string, options: Database.Options): Database.Database {
  const before = process.env.SQLITE_USE_URI;
  process.env.SQLITE_USE_URI ??= '1';
  try {
    return new (loadDriver())(name, options);
  } finally {
    if (before === undefined) delete process.env.SQLITE_USE_URI;
  }
}

/** The settings every handle runs with, writable or not. */
export function tune(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // A fixed 64 MiB page cache: large replicas stay fast, memory stays flat.
  db.pragma('cache_size = -65536');
  db.pragma('foreign_keys = OFF');
}

/** The path of a handle's database file, also for one opened by URI (`file:…?immutable=1`). */
export function fileOf(db: Database.Database): string {
  return db.name.startsWith('file:') ? fileURLToPath(db.name.replace(/\?.*$/, '')) : db.name;
}
