import { BadDataError } from '../model/errors.js';
import { isUuid } from '../model/uuid.js';
import { describeBytes, MIB, type ByteLimit } from './limits.js';
import { isPackHash, PACK_TEXT_LIMIT, type PackRef } from './pack.js';

/**
 * The one small, mutable file of a published replica: who it is, how long
 * its log is, and which packs hold the log, for the replica and for its
 * resolution database. A reader fetches it, then only the packs past its
 * merge ticket.
 */
export const MANIFEST_FILE = 'replica.json';
export const MANIFEST_FORMAT = 'prophet-published-replica';
export const MANIFEST_VERSION = 1;

/** A manifest lists ~130 bytes per pack: 16 MiB is over 100,000 packs, 200 million changesets. */
export const MANIFEST_LIMIT: ByteLimit = { bytes: 16 * MIB, what: MANIFEST_FILE };

export interface LogManifest {
  uuid: string;
  database_uuid: string;
  latest_sequence_no: number;
  /** Consecutive, oldest first, together covering the log. */
  packs: PackRef[];
}

export interface Manifest {
  format: string;
  version: number;
  replica: LogManifest;
  resolutions: LogManifest;
}

/** The two logs a manifest describes, by their key in it. */
export const LOG_NAMES = ['replica', 'resolutions'] as const;
export type LogName = (typeof LOG_NAMES)[number];

function fail(where: string, what: string): never {
  throw new BadDataError(`${where}: ${what}`);
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function checkPack(raw: unknown, where: string, previousLast: number): PackRef {
  if (typeof raw !== 'object' || raw === null) fail(where, 'a pack entry is not an object');
  const p = raw as Record<string, unknown>;
  if (typeof p.hash !== 'string' || !isPackHash(p.hash)) fail(where, 'a pack has no valid hash');
  if (!isCount(p.first) || !isCount(p.last) || !isCount(p.count) || !isCount(p.bytes)) fail(where, `pack ${p.hash} has bad bounds`);
  if (p.first <= previousLast || p.last < p.first || p.count > p.last - p.first + 1) fail(where, `pack ${p.hash} is out of order`);
  // Checked here, before any pull starts, rather than when that pack's turn comes.
  if (p.bytes > PACK_TEXT_LIMIT.bytes) fail(where, `pack ${p.hash} is listed as ${describeBytes(p.bytes)}, over the ${describeBytes(PACK_TEXT_LIMIT.bytes)} limit for a pack`);
  return { hash: p.hash, first: p.first, last: p.last, count: p.count, bytes: p.bytes };
}

function checkLog(raw: unknown, where: string): LogManifest {
  if (typeof raw !== 'object' || raw === null) fail(where, 'missing');
  const l = raw as Record<string, unknown>;
  if (typeof l.uuid !== 'string' || !isUuid(l.uuid)) fail(where, 'uuid is not a uuid');
  if (typeof l.database_uuid !== 'string' || !isUuid(l.database_uuid)) fail(where, 'database_uuid is not a uuid');
  if (!isCount(l.latest_sequence_no)) fail(where, 'latest_sequence_no is not a number');
  if (!Array.isArray(l.packs)) fail(where, 'packs is not a list');
  const packs: PackRef[] = [];
  for (const p of l.packs) packs.push(checkPack(p, where, packs[packs.length - 1]?.last ?? 0));
  if ((packs[packs.length - 1]?.last ?? 0) > l.latest_sequence_no) fail(where, 'packs reach past latest_sequence_no');
  return { uuid: l.uuid.toLowerCase(), database_uuid: l.database_uuid.toLowerCase(), latest_sequence_no: l.latest_sequence_no, packs };
}

/** Parses and checks a fetched manifest; anything malformed is refused naming where it came from. */
export function parseManifest(text: string, where: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail(where, 'not valid JSON (is this a published prophet replica?)');
  }
  if (typeof raw !== 'object' || raw === null) fail(where, 'not a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) fail(where, 'not a published prophet replica');
  if (m.version !== MANIFEST_VERSION) fail(where, `format version ${String(m.version)} is not supported (this prophet reads version ${MANIFEST_VERSION})`);
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    replica: checkLog(m.replica, `${where} (replica)`),
    resolutions: checkLog(m.resolutions, `${where} (resolutions)`),
  };
}
