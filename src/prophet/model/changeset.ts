import { propertyNameProblem } from './property-names.js';
import { canonicalJson } from './canonical-json.js';
import { BadDataError } from './errors.js';
import { sha256Hex } from './hash.js';
import type { Change, ChangeType, ChangesetContent, PropChange } from './types.js';
import { isUuid } from './uuid.js';

/** A changeset's global identity: `<original sequence no>@<original replica uuid>`. */
export function changesetId(originalSourceUuid: string, originalSequenceNo: number): string {
  return `${originalSequenceNo}@${originalSourceUuid}`;
}

export function parseChangesetId(id: string): { uuid: string; seq: number } {
  const at = id.indexOf('@');
  const seq = Number(id.slice(0, at));
  const uuid = id.slice(at + 1);
  if (at < 1 || !Number.isSafeInteger(seq) || seq < 1 || !isUuid(uuid)) {
    throw new BadDataError(`'${id}' is not a changeset id (expected <sequence>@<replica uuid>)`);
  }
  return { uuid: uuid.toLowerCase(), seq };
}

/** Keys V8 puts before all others in an object whatever their insertion order: array indexes. */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

/**
 * The serialised form: canonical JSON, with empty `pred` lists left out to
 * keep logs small. JSON.stringify writes an object's members in the order
 * they were added, so objects built in sorted key order come out canonical,
 * natively and several times faster than canonicalJson (a bulk create's
 * body is a megabyte); canonicalJson still writes a body with a key that
 * looks like an array index, which V8 would put first.
 */
export function serializeChangeset(content: ChangesetContent): string {
  const pred = (ids: readonly string[]) => (ids.length ? [...ids].sort() : undefined);
  let indexLike = !Number.isFinite(content.original_sequence_no);
  const changes: Record<string, unknown> = {};
  for (const uuid of Object.keys(content.changes).sort()) {
    const change = content.changes[uuid]!;
    const props: Record<string, unknown> = {};
    for (const name of Object.keys(change.prop_changes).sort()) {
      const pc = change.prop_changes[name]!;
      props[name] = { new_value: pc.new_value, old_value: pc.old_value, pred: pred(pc.pred) };
      indexLike ||= INDEX_LIKE.test(name);
    }
    changes[uuid] = { change_type: change.change_type, pred: pred(change.pred), prop_changes: props, record_type: change.record_type, resolves: change.resolves };
    indexLike ||= INDEX_LIKE.test(uuid);
  }
  // Fields are picked one by one: a full Changeset also carries local ones (sequence_no, hash).
  const body = {
    changes,
    created: content.created,
    creator: content.creator,
    is_nullification: content.is_nullification,
    is_resolution: content.is_resolution,
    original_sequence_no: content.original_sequence_no,
    original_source_uuid: content.original_source_uuid,
  };
  return indexLike ? canonicalJson(body) : JSON.stringify(body);
}

export function hashChangeset(content: ChangesetContent): string {
  return sha256Hex(serializeChangeset(content));
}

const CHANGE_TYPES: ReadonlySet<string> = new Set<ChangeType>(['add', 'update', 'delete']);

/** Where a problem is, built only when there is one: verification runs for every changeset a pull reads. */
export type Where = string | (() => string);

export function describeWhere(where: Where): string {
  return typeof where === 'string' ? where : where();
}

function fail(where: Where, what: string): never {
  throw new BadDataError(`${describeWhere(where)}: ${what}`);
}

function isStringOrNull(v: unknown): v is string | null {
  return v === null || typeof v === 'string';
}

function parsePred(v: unknown, where: Where): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(where, 'pred is not a list');
  for (const id of v) {
    if (typeof id !== 'string') fail(where, 'pred holds a non-string');
    parseChangesetId(id);
  }
  return v as string[];
}

/**
 * Checks a changeset that came from outside (a peer, a file, a server)
 * field by field and returns it typed; anything malformed is refused with
 * a message naming the changeset and the field.
 */
export function parseChangesetContent(raw: unknown, where: Where): ChangesetContent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(where, 'not a JSON object');
  const o = raw as Record<string, unknown>;
  if (typeof o.original_source_uuid !== 'string' || !isUuid(o.original_source_uuid)) fail(where, 'original_source_uuid is not a uuid');
  if (!Number.isSafeInteger(o.original_sequence_no) || (o.original_sequence_no as number) < 1) fail(where, 'original_sequence_no is not a positive integer');
  if (!isStringOrNull(o.creator)) fail(where, 'creator is not a string');
  if (typeof o.created !== 'string' || Number.isNaN(Date.parse(o.created))) fail(where, 'created is not a timestamp');
  if (typeof o.is_nullification !== 'boolean' || typeof o.is_resolution !== 'boolean') fail(where, 'flags are not booleans');
  if (typeof o.changes !== 'object' || o.changes === null || Array.isArray(o.changes)) fail(where, 'changes is not an object');
  const changes: Record<string, Change> = {};
  for (const [uuid, rc] of Object.entries(o.changes as Record<string, unknown>)) {
    const at = () => `${describeWhere(where)}, record ${uuid}`;
    if (!isUuid(uuid)) fail(at, 'record key is not a uuid');
    if (typeof rc !== 'object' || rc === null) fail(at, 'change is not an object');
    const c = rc as Record<string, unknown>;
    if (typeof c.record_type !== 'string' || c.record_type === '') fail(at, 'record_type is missing');
    if (typeof c.change_type !== 'string' || !CHANGE_TYPES.has(c.change_type)) fail(at, `unknown change_type ${JSON.stringify(c.change_type)}`);
    if (c.resolves !== undefined && typeof c.resolves !== 'string') fail(at, 'resolves is not a string');
    if (typeof c.prop_changes !== 'object' || c.prop_changes === null || Array.isArray(c.prop_changes)) fail(at, 'prop_changes is not an object');
    const props: Record<string, PropChange> = {};
    for (const [name, rp] of Object.entries(c.prop_changes as Record<string, unknown>)) {
      const problem = propertyNameProblem(name);
      if (problem) fail(at, problem);
      const atProp = () => `${at()}, property ${name}`;
      if (typeof rp !== 'object' || rp === null) fail(atProp, 'not an object');
      const p = rp as Record<string, unknown>;
      if (!isStringOrNull(p.old_value) || !isStringOrNull(p.new_value)) fail(atProp, 'values must be strings or null');
      props[name] = { old_value: p.old_value, new_value: p.new_value, pred: parsePred(p.pred, atProp) };
    }
    changes[uuid.toLowerCase()] = {
      record_type: c.record_type,
      change_type: c.change_type as ChangeType,
      pred: parsePred(c.pred, at),
      prop_changes: props,
      ...(c.resolves !== undefined ? { resolves: c.resolves as string } : {}),
    };
  }
  return {
    original_source_uuid: o.original_source_uuid.toLowerCase(),
    original_sequence_no: o.original_sequence_no as number,
    creator: o.creator,
    created: o.created,
    is_nullification: o.is_nullification,
    is_resolution: o.is_resolution,
    changes,
  };
}

/**
 * Checks changeset text from a peer against the hash it was sent with, then
 * its shape. The hash covers the exact bytes: changesets travel byte for
 * byte and are stored as received, so every replica holds the same bytes
 * for a changeset and no re-serialisation is needed to verify one.
 */
export function verifyChangeset(text: string, expectedHash: string, where: Where): ChangesetContent {
  const actual = sha256Hex(text);
  if (actual !== expectedHash) fail(where, `content hash ${actual.slice(0, 12)}… does not match ${expectedHash.slice(0, 12)}…`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail(where, 'not valid JSON');
  }
  return parseChangesetContent(raw, where);
}

/** Timestamps are UTC ISO 8601 with milliseconds. */
export function nowTimestamp(): string {
  return new Date().toISOString();
}
