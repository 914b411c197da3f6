import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { BadDataError, ProphetError } from '../model/errors.js';
import { isUuid } from '../model/uuid.js';
import type { Replica } from '../replica/replica.js';
import { replaceFile } from '../store/atomic-file.js';
import type { ChangesetEntry } from '../sync/source.js';
import { MemorySource } from './memory-source.js';
import { entryToArray, toEntry } from './pack.js';
import { rowToEntry } from './published-log.js';

/**
 * A bundle: one file carrying changesets on a stick. Text lines:
 *
 *   prophet-bundle 1
 *   {header: both logs' identities, where each starts, how many lines follow}
 *   R [entry]   resolution database changesets, oldest first
 *   C [entry]   replica changesets, oldest first
 *   sha256 <hex of every byte above>
 *
 * The trailing checksum makes a truncated or altered file fail whole,
 * before anything is applied.
 */
export const BUNDLE_MAGIC = 'prophet-bundle 1';
const TRAILER = /\nsha256 ([0-9a-f]{64})\n$/;

interface BundleLog {
  uuid: string;
  database_uuid: string;
  latest_sequence_no: number;
  /** The bundle holds this log's changesets after this sequence number. */
  since: number;
}

interface BundleHeader {
  created: string;
  replica: BundleLog;
  resolutions: BundleLog;
}

/** Whether a path is a bundle file (by its first line), so `pull --from FILE` can tell it from a replica. */
export function looksLikeBundle(path: string): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(BUNDLE_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.toString('utf8') === BUNDLE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

export interface BundleSummary {
  changesets: number;
  resolutions: number;
  since: number;
}

/**
 * Writes the replica's changesets after `since` (and all of its resolution
 * database's) to `path`, streaming, into a temporary file renamed at the
 * end: an interrupted run leaves no half bundle under the name.
 */
export function createBundle(replica: Replica, path: string, since = 0): BundleSummary {
  const latest = replica.latestSequenceNo();
  if (!Number.isSafeInteger(since) || since < 0 || since > latest) throw new ProphetError(`--since ${since} is outside this replica's log (0..${latest})`);
  const resdb = replica.resdb;
  const logOf = (r: Replica, from: number): BundleLog => ({
    uuid: r.uuid,
    database_uuid: r.databaseUuid,
    latest_sequence_no: r.latestSequenceNo(),
    since: from,
  });
  const header: BundleHeader = { created: new Date().toISOString(), replica: logOf(replica, since), resolutions: logOf(resdb, 0) };
  let summary: BundleSummary = { changesets: 0, resolutions: 0, since };
  replaceFile(
    path,
    (out) => {
      const hash = createHash('sha256');
      const write = (text: string) => {
        hash.update(text);
        out(text);
      };
      write(`${BUNDLE_MAGIC}\n${JSON.stringify(header)}\n`);
      let resolutions = 0;
      for (const row of resdb.rawChangesets(1)) {
        write(`R ${JSON.stringify(entryToArray(rowToEntry(row)))}\n`);
        resolutions++;
      }
      let changesets = 0;
      for (const row of replica.rawChangesets(since + 1, latest)) {
        write(`C ${JSON.stringify(entryToArray(rowToEntry(row)))}\n`);
        changesets++;
      }
      out(`sha256 ${hash.digest('hex')}\n`);
      summary = { changesets, resolutions, since };
    },
    { action: `write the bundle ${path}` },
  );
  return summary;
}

function checkLog(raw: unknown, where: string): BundleLog {
  const l = (raw ?? {}) as Record<string, unknown>;
  const counts = [l.latest_sequence_no, l.since].every((v) => Number.isSafeInteger(v) && (v as number) >= 0);
  if (typeof l.uuid !== 'string' || !isUuid(l.uuid) || typeof l.database_uuid !== 'string' || !isUuid(l.database_uuid) || !counts) {
    throw new BadDataError(`${where}: the bundle header is malformed`);
  }
  return l as unknown as BundleLog;
}

/**
 * Reads a bundle whole and checks it before anything can be applied: the
 * checksum over the file, the header, then every entry's shape and hash.
 */
export function readBundle(path: string): MemorySource {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ProphetError(`there is no bundle at ${path}: check the file name`, 'not-found');
    throw new ProphetError(`cannot read bundle ${path}: ${(err as Error).message}`, 'io');
  }
  const text = data.toString('utf8');
  if (!text.startsWith(`${BUNDLE_MAGIC}\n`)) throw new BadDataError(`${path} is not a prophet bundle`);
  const trailer = TRAILER.exec(text);
  if (!trailer) throw new BadDataError(`${path} is truncated (it has no closing checksum); nothing was applied`);
  const body = text.slice(0, trailer.index + 1);
  if (createHash('sha256').update(body).digest('hex') !== trailer[1]) {
    throw new BadDataError(`${path} is damaged or was altered (its checksum does not match); nothing was applied`);
  }
  const lines = body.split('\n');
  lines.pop();
  let header: BundleHeader;
  try {
    const raw = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    header = { created: String(raw.created), replica: checkLog(raw.replica, path), resolutions: checkLog(raw.resolutions, path) };
  } catch (err) {
    throw err instanceof BadDataError ? err : new BadDataError(`${path}: the bundle header is not valid JSON`);
  }
  const main: ChangesetEntry[] = [];
  const res: ChangesetEntry[] = [];
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `${path}, line ${i + 1}`;
    const list = line.startsWith('C ') ? main : line.startsWith('R ') ? res : undefined;
    if (!list) throw new BadDataError(`${where}: not a changeset line`);
    let raw: unknown;
    try {
      raw = JSON.parse(line.slice(2));
    } catch {
      throw new BadDataError(`${where}: not valid JSON`);
    }
    const entry = toEntry(raw, where);
    const before = list[list.length - 1]?.sequence_no ?? 0;
    if (entry.sequence_no <= before) throw new BadDataError(`${where}: sequence number ${entry.sequence_no} is out of order`);
    list.push(entry);
  }
  const identity = (l: BundleLog) => ({ uuid: l.uuid.toLowerCase(), databaseUuid: l.database_uuid.toLowerCase(), latestSequenceNo: l.latest_sequence_no });
  const since = header.replica.since;
  const description = since > 0 ? `bundle ${path} (changesets after ${since} of replica ${header.replica.uuid})` : `bundle ${path}`;
  const resolutions = new MemorySource(`${description} (resolutions)`, identity(header.resolutions), res);
  return new MemorySource(description, identity(header.replica), main, resolutions, since);
}
