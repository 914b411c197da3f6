import { isInternalType, type Change, type Changeset, type PropChange, type RecordState } from '../model/types.js';
import { shortFingerprint } from '../model/signature.js';
import type { SignatureCheck } from '../replica/key-ring.js';
import type { Colors } from './context.js';
import { showTime } from './time-format.js';

/** The --json shape of a record. */
export function recordJson(r: RecordState): { type: string; luid: number; uuid: string; props: Record<string, string> } {
  const props: Record<string, string> = {};
  for (const k of Object.keys(r.props).sort()) props[k] = r.props[k]!;
  return { type: r.type, luid: r.luid, uuid: r.uuid, props };
}

/** `name: value` lines sorted by name; empty properties are absent already. */
export function propertyLines(props: Record<string, string>): string[] {
  return Object.keys(props).sort().map((k) => `${k}: ${props[k]}`);
}

/** One property change as `log` and `history` show it (reference §1.4). */
export function propChangeLine(name: string, pc: Pick<PropChange, 'old_value' | 'new_value'>, c?: Colors): string {
  const paint = (f: ((s: string) => string) | undefined, s: string) => (f ? f(s) : s);
  if (pc.old_value === null) return paint(c?.green, `+ "${name}" set to "${pc.new_value}"`);
  if (pc.new_value === null) return paint(c?.red, `- "${name}" "${pc.old_value}" deleted.`);
  return paint(c?.yellow, `> "${name}" changed from "${pc.old_value}" to "${pc.new_value}".`);
}

/**
 * A changeset's changes as `log` lists them: Prophet's own records first
 * (a signing key announced with the change it signs), then the others, in
 * uuid order: the same order every time.
 */
export function changesInOrder(cs: Changeset): Array<[string, Change]> {
  const own = (c: Change) => (isInternalType(c.record_type) ? 0 : 1);
  return Object.entries(cs.changes).sort(([ua, a], [ub, b]) => own(a) - own(b) || (ua < ub ? -1 : ua > ub ? 1 : 0));
}

/** A change's property summaries, sorted by name; a delete says so since it has none. */
export function changeLines(change: Change, c?: Colors): string[] {
  const lines = Object.keys(change.prop_changes).sort().map((n) => propChangeLine(n, change.prop_changes[n]!, c));
  if (change.change_type === 'delete') lines.push(c ? c.red('record deleted') : 'record deleted');
  return lines;
}

/** What a signature check says, in a few words: `verified`, `unsigned`, `signed by an unknown key 3f9a…`. */
export function describeSignature(check: SignatureCheck): string {
  const key = check.fingerprint ? ` ${shortFingerprint(check.fingerprint)}` : '';
  switch (check.status) {
    case 'verified':
      return check.trusted ? 'verified, trusted key' : 'verified';
    case 'unsigned':
      return 'unsigned';
    case 'unknown-key':
      return `signed by an unknown key${key}`;
    case 'bad-signature':
      return 'bad signature';
    case 'revoked-key':
      return `signed by a revoked key${key}`;
    case 'wrong-signer':
      return `signed by ${check.signer ?? 'someone else'}'s key${key}, not the author's`;
  }
}

/** A signature mark, coloured by what it is worth: good green, missing plain, anything wrong red. */
function signatureMark(check: SignatureCheck, c?: Colors): string {
  const mark = `[${describeSignature(check)}]`;
  if (!c) return mark;
  if (check.status === 'verified') return c.green(mark);
  return check.status === 'unsigned' || check.status === 'unknown-key' ? c.dim(mark) : c.red(mark);
}

/** `changeset 5 by alice@example.com at <time> (3@<replica uuid>) [verified]`, with its kind when special. */
export function changesetHeader(cs: Changeset, c?: Colors, signature?: SignatureCheck): string {
  const kind = cs.is_nullification ? ' [nullification]' : cs.is_resolution ? ' [resolution]' : '';
  const head = `changeset ${cs.sequence_no}${kind} by ${cs.creator ?? '(unknown)'} at ${showTime(cs.created)}`;
  return `${c ? c.bold(head) : head} (${cs.original_sequence_no}@${cs.original_source_uuid})${signature ? ` ${signatureMark(signature, c)}` : ''}`;
}

/** The --json form of a signature check: `signature` is its status; the key's fingerprint and owner when known. */
export function signatureJson(check: SignatureCheck): Record<string, unknown> {
  return { signature: check.status, signing_key: check.fingerprint ?? null, signed_by: check.signer ?? null, trusted_key: check.trusted };
}

/** The --json shape of a changeset's header fields. */
export function changesetJson(cs: Changeset, signature?: SignatureCheck): Record<string, unknown> {
  return {
    sequence_no: cs.sequence_no,
    id: `${cs.original_sequence_no}@${cs.original_source_uuid}`,
    original_sequence_no: cs.original_sequence_no,
    original_source_uuid: cs.original_source_uuid,
    creator: cs.creator,
    created: cs.created,
    is_nullification: cs.is_nullification,
    is_resolution: cs.is_resolution,
    hash: cs.hash,
    ...(signature ? signatureJson(signature) : {}),
  };
}

/** A change's property changes without their predecessors: what a reader of --json wants. */
export function propChangesJson(change: Change): Record<string, { old_value: string | null; new_value: string | null }> {
  const out: Record<string, { old_value: string | null; new_value: string | null }> = {};
  for (const name of Object.keys(change.prop_changes).sort()) {
    const { old_value, new_value } = change.prop_changes[name]!;
    out[name] = { old_value, new_value };
  }
  return out;
}
