/**
 * Every file Prophet replaces goes through here, so a full disk, a crash
 * or a power loss leaves the old file or the new one, never a mix:
 * write a temporary file beside it, fsync it, rename it over the old one,
 * fsync the directory (the rename is only durable once the directory is).
 */
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeFsError } from './disk-errors.js';

/** The bytes of a file, or a function that writes them in pieces (a large bundle). */
export type FileContent = string | Uint8Array | ((write: (chunk: string | Uint8Array) => void) => void);

export interface ReplaceOptions {
  /** The mode of a file created anew (the umask applies); an existing file keeps its own. Default 0o666. */
  newFileMode?: number;
  /** The mode the file ends with, whatever it had (a secrets file). */
  mode?: number;
  /** What the caller is doing, for a message when the disk refuses: "change the config". */
  action?: string;
}

let sequence = 0;

/** A name beside `path` no other writer (process or call) is using. */
function temporaryName(path: string): string {
  return `${path}.tmp-${process.pid}-${sequence++}`;
}

function currentMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * Makes a rename or a new directory entry in `dir` durable. Windows cannot
 * open a directory (and NTFS journals renames), and some file systems
 * refuse to fsync one: both are as good as it gets there.
 */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!['EINVAL', 'ENOTSUP', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    closeSync(fd);
  }
}

/** Writes `content` to `path` whole or not at all; on failure the old file is untouched and no temporary file is left. */
export function replaceFile(path: string, content: FileContent, opts: ReplaceOptions = {}): void {
  const action = opts.action ?? `write ${path}`;
  const tmp = temporaryName(path);
  const keep = opts.mode ?? currentMode(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', keep ?? opts.newFileMode ?? 0o666);
    // The umask narrowed the mode at creation; a replaced file keeps exactly the mode it had.
    if (keep !== undefined) fchmodSync(fd, keep);
    const out = fd;
    const write = (chunk: string | Uint8Array) => writeFileSync(out, chunk);
    if (typeof content === 'function') content(write);
    else write(content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw describeFsError(err, path, action);
  }
  try {
    syncDirectory(dirname(path));
  } catch (err) {
    throw describeFsError(err, path, action);
  }
}

/**
 * Moves a finished file into place (a clone's database) and makes the move
 * durable: the target directory is created if needed, and each directory
 * whose entries changed is fsynced.
 */
export function moveFileDurably(from: string, to: string): void {
  const dir = dirname(to);
  const created = !existsSync(dir);
  if (created) {
    mkdirSync(dir, { recursive: true });
    syncDirectory(dirname(dir));
  }
  renameSync(from, to);
  syncDirectory(dir);
}

/** A directory built beside its final place, then swapped in whole (published HTML pages). */
export interface StagedDirectory {
  /** Where to write the new contents. */
  readonly path: string;
  /** Puts the new contents in place of the old, removing the old. */
  commit(): void;
  /** Removes the new contents, leaving the old in place. */
  discard(): void;
}

/**
 * Stages a replacement for directory `dir`. Commit swaps it in with two
 * renames: a reader sees the old or the new pages, and a crash between the
 * two renames leaves the new ones under a temporary name and no `dir`,
 * which the next publish writes again.
 */
export function stageDirectory(dir: string): StagedDirectory {
  const path = temporaryName(dir);
  mkdirSync(path, { recursive: true });
  return {
    path,
    commit() {
      const old = existsSync(dir) ? temporaryName(dir) : undefined;
      if (old) renameSync(dir, old);
      renameSync(path, dir);
      syncDirectory(dirname(dir));
      if (old) rmSync(old, { recursive: true, force: true });
    },
    discard() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
