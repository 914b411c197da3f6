import { accessSync, constants, statfsSync } from 'node:fs';
import { ProphetError } from '../model/errors.js';

/**
 * A full or read-only disk, said the same way whatever hit it: SQLite, a
 * config write, a publication, a bundle.
 */

/** The disk holding `path` has no room left; what was being written was not. */
export class DiskFullError extends ProphetError {
  constructor(readonly path: string) {
    super(`the disk holding ${path} is full: free space and retry; nothing was written`, 'io');
    this.name = 'DiskFullError';
  }
}

/** `what` (a replica, a config file, a folder) lives where this process cannot write. */
export class NotWritableError extends ProphetError {
  constructor(
    readonly what: string,
    readonly action: string,
  ) {
    super(`${what} is on a read-only disk (or not writable): cannot ${action}`, 'read-only');
    this.name = 'NotWritableError';
  }
}

/** A replica that can be read but not written. */
export function replicaNotWritable(root: string, action = 'save changes'): NotWritableError {
  return new NotWritableError(`the replica at ${root}`, action);
}

/**
 * Below this much free space a failed write is put down to a full disk.
 * SQLite reports ENOSPC on its shared-memory and log files only as a
 * generic I/O error, so the disk itself is asked.
 */
const NEARLY_FULL_BYTES = 1024 * 1024;

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** Why nothing can be written at `path` (an existing file or directory), if the disk says. */
export function diskTrouble(path: string): 'full' | 'read-only' | undefined {
  try {
    accessSync(path, constants.W_OK);
  } catch (err) {
    if (READ_ONLY_CODES.has((err as NodeJS.ErrnoException).code ?? '')) return 'read-only';
    return undefined;
  }
  try {
    const fs = statfsSync(path);
    if (fs.bavail * fs.bsize < NEARLY_FULL_BYTES) return 'full';
  } catch {
    // statfs is not everywhere (some network filesystems): no verdict.
  }
  return undefined;
}

/**
 * A failed file operation as one line: a full disk and a read-only one
 * get their own words; any other system error names the file; errors that
 * are not the file system's (ours, a bug) pass through unchanged.
 */
export function describeFsError(err: unknown, path: string, action: string): Error {
  if (err instanceof ProphetError || !(err instanceof Error)) return err instanceof Error ? err : new Error(String(err));
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (FULL_CODES.has(code)) return new DiskFullError(path);
  if (READ_ONLY_CODES.has(code)) return new NotWritableError(path, action);
  if ((err as NodeJS.ErrnoException).syscall) return new ProphetError(`cannot ${action}: ${err.message}`, 'io');
  return err;
}
