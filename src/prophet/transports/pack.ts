import { gunzipSync, gzipSync } from 'node:zlib';
import { BadDataError } from '../model/errors.js';
import { sha256Hex } from '../model/hash.js';
import { isWellFormedSignature } from '../model/signature.js';
import type { ChangesetEntry } from '../sync/source.js';
import { expandsPast, MIB, type ByteLimit } from './limits.js';
import type { LogName } from './manifest.js';

/**
 * A pack: a run of consecutive changesets of one replica's log in one
 * immutable, content-addressed file. Gzipped lines: a header object, then
 * one `[sequence_no, original_source_uuid, original_sequence_no, hash, body]`
 * array per changeset, with the author's signature as a sixth element when
 * it is signed. Its name is the SHA-256 of its (compressed) bytes, so a
 * reader checks what it fetched against the name it asked for.
 */
export const PACK_FORMAT = 'prophet-pack';
/**
 * The oldest reader a pack needs: version 2 when it holds signed entries
 * (a reader from before signatures then says to upgrade instead of
 * failing on an entry), else 1, so an unsigned log packs as it always did.
 */
export const PACK_VERSION = 2;
const UNSIGNED_PACK_VERSION = 1;

/** A pack closes at this many changesets or this many bytes of bodies, whichever comes first. */
export const PACK_MAX_CHANGESETS = 2000;
export const PACK_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The most a pack may expand to when read. A pack closes past 8 MiB of
 * bodies, so its text is that plus its last changeset, which may be as
 * large as a push batch (64 MiB), plus the JSON escaping of both: 128 MiB
 * leaves room for all of it, while a gzip bomb is refused long before it
 * takes the reader's memory. A pack's file is smaller than its text (JSON
 * compresses), so this bounds the file too, whatever a manifest says.
 */
export const PACK_TEXT_LIMIT: ByteLimit = { bytes: 128 * MIB, what: "a pack's text" };

/** A pack as the manifest lists it. */
export interface PackRef {
  hash: string;
  first: number;
  last: number;
  count: number;
  bytes: number;
}

export interface BuiltPack {
  ref: PackRef;
  data: Buffer;
}

interface PackHeader {
  format: string;
  version: number;
  replica_uuid: string;
  first: number;
  last: number;
  count: number;
}

const HASH_RE = /^[0-9a-f]{64}$/;

export function isPackHash(name: string): boolean {
  return HASH_RE.test(name);
}

/** The path of a pack relative to the published root. */
export function packPath(hash: string): string {
  return `packs/${hash}.pack`;
}

/**
 * Where a pack lies in the log its manifest describes. A reader sends it
 * with a pack request, so any server process on the same database can cut
 * that pack again, even one that never listed it; static hosts ignore it.
 */
export interface PackRange {
  log: LogName;
  first: number;
  last: number;
}

/** The query string naming a pack's range: `log=replica&first=101&last=150`. */
export function packRangeQuery(range: PackRange): string {
  return new URLSearchParams({ log: range.log, first: String(range.first), last: String(range.last) }).toString();
}

export function encodePack(replicaUuid: string, entries: ChangesetEntry[]): BuiltPack {
  const first = entries[0]?.sequence_no ?? 0;
  const last = entries[entries.length - 1]?.sequence_no ?? 0;
  const version = entries.some((e) => e.signature !== undefined) ? PACK_VERSION : UNSIGNED_PACK_VERSION;
  const header: PackHeader = { format: PACK_FORMAT, version, replica_uuid: replicaUuid, first, last, count: entries.length };
  const lines = [JSON.stringify(header)];
  for (const e of entries) lines.push(JSON.stringify(entryToArray(e)));
  // Level 6 and a zero mtime (zlib's default) keep the bytes, and so the name, a function of the content.
  const data = gzipSync(`${lines.join('\n')}\n`);
  return { ref: { hash: sha256Hex(data), first, last, count: entries.length, bytes: data.length }, data };
}

/**
 * Checks a fetched pack against the manifest's entry for it and returns
 * its changesets. Everything is checked before anything is returned: the
 * name, the header, each line's shape and order, and each body's hash.
 */
export function decodePack(data: Uint8Array, ref: PackRef, replicaUuid: string, where: string): ChangesetEntry[] {
  const actual = sha256Hex(data);
  if (actual !== ref.hash) throw new BadDataError(`${where}: content hash ${actual.slice(0, 12)}… does not match its name ${ref.hash.slice(0, 12)}…`);
  const text = gunzipBounded(data, where).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = parseLine(lines[0] ?? '', where) as Partial<PackHeader>;
  if (header.format !== PACK_FORMAT) throw new BadDataError(`${where}: not a prophet pack`);
  if (header.version !== PACK_VERSION && header.version !== UNSIGNED_PACK_VERSION) throw new BadDataError(`${where}: pack version ${String(header.version)} is not supported (this prophet reads version ${PACK_VERSION})`);
  if (header.replica_uuid !== replicaUuid) throw new BadDataError(`${where}: the pack belongs to replica ${String(header.replica_uuid)}, not ${replicaUuid}`);
  if (header.first !== ref.first || header.last !== ref.last || header.count !== ref.count || lines.length - 1 !== ref.count) {
    throw new BadDataError(`${where}: the pack does not hold the changesets the manifest lists (${ref.first}..${ref.last})`);
  }
  const entries: ChangesetEntry[] = [];
  let previous = ref.first - 1;
  for (let i = 1; i < lines.length; i++) {
    const entry = toEntry(parseLine(lines[i]!, where), `${where}, line ${i + 1}`);
    if (entry.sequence_no <= previous || entry.sequence_no > ref.last) throw new BadDataError(`${where}, line ${i + 1}: sequence number ${entry.sequence_no} is out of order`);
    previous = entry.sequence_no;
    entries.push(entry);
  }
  return entries;
}

/** The pack's text, refused as soon as it expands past the limit: zlib stops there rather than inflating it all. */
function gunzipBounded(data: Uint8Array, where: string): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: PACK_TEXT_LIMIT.bytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw expandsPast(where, PACK_TEXT_LIMIT);
    throw new BadDataError(`${where}: not a gzip file`);
  }
}

function parseLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new BadDataError(`${where}: a line is not valid JSON`);
  }
}

/** Checks one travelling changeset's shape and that its body has the hash it claims. Entries from before signatures have five elements. */
export function toEntry(raw: unknown, where: string): ChangesetEntry {
  if (!Array.isArray(raw) || (raw.length !== 5 && raw.length !== 6)) throw new BadDataError(`${where}: not a changeset entry`);
  const [sequence_no, original_source_uuid, original_sequence_no, hash, body, signature] = raw as unknown[];
  if (signature !== undefined && (typeof signature !== 'string' || !isWellFormedSignature(signature))) throw new BadDataError(`${where}: bad signature`);
  if (!Number.isSafeInteger(sequence_no) || (sequence_no as number) < 1) throw new BadDataError(`${where}: bad sequence number`);
  if (typeof original_source_uuid !== 'string' || !Number.isSafeInteger(original_sequence_no)) throw new BadDataError(`${where}: bad original id`);
  if (typeof hash !== 'string' || !HASH_RE.test(hash) || typeof body !== 'string') throw new BadDataError(`${where}: bad hash or body`);
  const actual = sha256Hex(body);
  if (actual !== hash) {
    throw new BadDataError(`${where}: changeset ${String(original_sequence_no)}@${original_source_uuid} has content hash ${actual.slice(0, 12)}…, not ${hash.slice(0, 12)}…`);
  }
  const entry: ChangesetEntry = { sequence_no: sequence_no as number, original_source_uuid, original_sequence_no: original_sequence_no as number, hash, body };
  if (signature !== undefined) entry.signature = signature as string;
  return entry;
}

/** The array form used on the wire by packs, bundles and pushes; the signature, when there is one, is the sixth element. */
export function entryToArray(e: ChangesetEntry): [number, string, number, string, string] | [number, string, number, string, string, string] {
  const array: [number, string, number, string, string] = [e.sequence_no, e.original_source_uuid, e.original_sequence_no, e.hash, e.body];
  return e.signature === undefined ? array : [...array, e.signature];
}
