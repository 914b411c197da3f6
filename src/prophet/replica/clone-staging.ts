/**
 * A clone is built in a staging directory beside its target and moved
 * into place when whole (see cloneFromSource). A clone killed midway
 * leaves its staging directory behind; these helpers name it after the
 * process that owns it, so the next clone in that directory can remove
 * what dead processes left, and mark it, so nothing takes it for a replica.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { isRunning } from './running-process.js';

/** `.NAME.cloning-PID-XXXXXX`: the target's name, the owning process, mkdtemp's suffix. */
const STAGING_NAME = /^\.(.+)\.cloning-(\d+)-[A-Za-z0-9]{6}$/;
/** Inside a staging directory: who builds it, for what target. */
const MARKER = 'UNFINISHED-CLONE';

interface Marker {
  target: string;
  pid: number;
  host: string;
  started: string;
}

/** Makes the staging directory for a clone into `target`, owned by this process. */
export function createStaging(target: string): string {
  const dir = mkdtempSync(join(dirname(target), `.${basename(target)}.cloning-${process.pid}-`));
  const marker: Marker = { target, pid: process.pid, host: hostname(), started: new Date().toISOString() };
  writeFileSync(join(dir, MARKER), `${JSON.stringify(marker)}\n`);
  return dir;
}

function readMarker(dir: string): Partial<Marker> | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Partial<Marker>;
  } catch {
    return undefined;
  }
}

/**
 * Removes the staging directories in `parent` whose owning process is gone.
 * One owned by a live process (a clone still running), or made on another
 * host (a shared disk, where this host cannot see its process), is kept.
 * Returns the paths removed.
 */
export function sweepStaleStaging(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = STAGING_NAME.exec(name)?.[2];
    if (pid === undefined) continue;
    const dir = join(parent, name);
    const host = readMarker(dir)?.host;
    if ((host !== undefined && host !== hostname()) || isRunning(Number(pid))) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/** Refuses a clone's staging directory where a replica is expected: it holds part of a log, or none. */
export function refuseUnfinishedClone(root: string): void {
  if (!STAGING_NAME.test(basename(root)) && !existsSync(join(root, MARKER))) return;
  const target = readMarker(root)?.target;
  throw new ProphetError(
    `${root} is an unfinished clone${target ? ` into ${target}` : ''}, not a replica: the clone was interrupted or is still running; clone again (the next clone beside it removes it)`,
    'not-replica',
  );
}
