/**
 * A lock file beside a file that is changed by reading, editing and
 * replacing it (a config file): two processes doing that at once would
 * each write its own edit over the other's, and one would be lost. Git's
 * `config.lock` rule: the lock is created exclusively, and removed after.
 */
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { ProphetError } from '../model/errors.js';
import { describeFsError } from './disk-errors.js';
import { sleep } from './write-transaction.js';

/** How long a change waits for another process's. */
const WAIT_MS = 5_000;
/** A lock this old was left by a process that died mid-change: taken over. */
const STALE_MS = 30_000;

/** Runs `change` holding `PATH.lock`; `action` names the change for errors ("change the config"). */
export function withFileLock<T>(path: string, action: string, change: () => T): T {
  const lock = `${path}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (err) {
      // A disk that is full or read-only is the file's problem, named as such.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFsError(err, path, action);
      if (ageMs(lock) > STALE_MS) rmSync(lock, { force: true });
      else if (Date.now() - started > WAIT_MS) {
        throw new ProphetError(`cannot ${action}: another process is changing ${path} (${lock} exists); try again, or remove ${lock} if no sd or prophet is running`, 'busy');
      } else sleep(10 + Math.random() * 20);
    }
  }
  try {
    return change();
  } finally {
    rmSync(lock, { force: true });
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
