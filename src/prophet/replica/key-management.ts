/**
 * What a user does with keys in a replica: see the keys it knows, trust
 * or stop trusting one, rotate their own, revoke their own. The decisions
 * on trust stay local; rotations and revocations are changesets, and sync.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ProphetError } from '../model/errors.js';
import { fingerprintOf, isPublicKey, shortFingerprint } from '../model/signature.js';
import type { Changeset } from '../model/types.js';
import { KEY_TYPE, keyRecordUuid } from './key-record.js';
import { KeyRing } from './key-ring.js';
import { readKeyFile, type SigningKey } from './keys.js';
import type { Replica } from './replica.js';
import { addTrustedKey, trustedKeys } from './trust-list.js';

/** A key as `trust list` shows it. */
export interface KeyListing {
  fingerprint: string;
  email: string;
  created: string | null;
  revoked: string | null;
  trusted: boolean;
  /** Whether it is the key the current user signs with. */
  yours: boolean;
}

/** A public key as given to `trust add` from a file or a record. */
export interface PublicKeyInfo {
  fingerprint: string;
  email: string;
  publicKey: string;
}

/** The line `key show --public` prints for peers to trust: `prophet-key ed25519 <base64 key> <email>`. */
export function publicKeyLine(key: { publicKey: string; email: string }): string {
  return `prophet-key ed25519 ${key.publicKey} ${key.email}`;
}

/** The user's key for this replica's identity: made if `create` and there is none. */
export function ownKey(replica: Replica, opts: { create: boolean }): SigningKey | undefined {
  const email = replica.requireIdentity();
  return opts.create ? replica.userKeys.currentOrNew(email) : replica.userKeys.current(email);
}

/** Every key the replica knows, from its key records and its trusted list, by email. */
export function listKeys(replica: Replica): KeyListing[] {
  const ring = new KeyRing(replica);
  const identity = replica.identity();
  const mine = identity ? replica.userKeys.current(identity)?.fingerprint : undefined;
  const fingerprints = new Set([...replica.mainReplica.liveRecords(KEY_TYPE).map((r) => r.props.fingerprint ?? ''), ...trustedKeys(replica).map((k) => k.fingerprint)]);
  const out: KeyListing[] = [];
  for (const fingerprint of fingerprints) {
    const key = ring.key(fingerprint);
    if (!key) continue;
    out.push({ fingerprint, email: key.email, created: key.created ?? null, revoked: key.revoked ?? null, trusted: ring.isTrusted(fingerprint), yours: fingerprint === mine });
  }
  return out.sort((a, b) => a.email.localeCompare(b.email) || (a.created ?? '').localeCompare(b.created ?? ''));
}

/** A fingerprint from what a user typed: the whole of one, or an unambiguous start (8 hex digits at least). */
export function resolveFingerprint(candidates: readonly string[], typed: string): string {
  const text = typed.trim().toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(text)) throw new ProphetError(`'${typed}' is not a key fingerprint (8 to 64 hex digits, as 'trust list' shows them)`, 'usage');
  const matches = [...new Set(candidates)].filter((fp) => fp.startsWith(text));
  if (matches.length > 1) throw new ProphetError(`'${typed}' is ambiguous: it starts ${matches.length} key fingerprints; type more of it`, 'ambiguous');
  if (!matches.length) throw new ProphetError(`no key known here has the fingerprint ${typed} ('trust list' shows the keys this replica knows; pull first, or give the key's file)`, 'not-found');
  return matches[0]!;
}

/** Reads a key file given to `trust add`: a `prophet-key ed25519 ...` line, or a key file from the keys directory. */
export function readPublicKeyFile(path: string): PublicKeyInfo {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ProphetError(`cannot read key file ${path}: ${(err as Error).message}`, 'io');
  }
  const line = /^prophet-key ed25519 (\S+) (\S+)\s*$/m.exec(text);
  if (line) {
    if (!isPublicKey(line[1]!)) throw new ProphetError(`${path}: the key in it is not an Ed25519 public key`, 'bad-data');
    return { fingerprint: fingerprintOf(line[1]!), publicKey: line[1]!, email: line[2]! };
  }
  if (text.trimStart().startsWith('{')) {
    const key = readKeyFile(path);
    return { fingerprint: key.fingerprint, publicKey: key.publicKey, email: key.email };
  }
  throw new ProphetError(`${path} is not a prophet key file (expected a line 'prophet-key ed25519 KEY EMAIL', as 'key show --public' prints)`, 'bad-data');
}

/** `trust add`: a key file's path, or the fingerprint of a key the replica holds a record of. */
export function trustKey(replica: Replica, fingerprintOrFile: string): PublicKeyInfo {
  let key: PublicKeyInfo;
  if (existsSync(fingerprintOrFile)) key = readPublicKeyFile(fingerprintOrFile);
  else {
    const fingerprint = resolveFingerprint(listKeys(replica).map((k) => k.fingerprint), fingerprintOrFile);
    const known = new KeyRing(replica).key(fingerprint)!;
    key = { fingerprint, email: known.email, publicKey: known.publicKey };
  }
  addTrustedKey(replica, key);
  return key;
}

/** A revocation counts only when its owner signs it: with signing off there is nothing to sign it with. */
function requireSigning(replica: Replica): void {
  if (!replica.signing) throw new ProphetError('signing is off (PROPHET_SIGNING or config user.signing): a key can be rotated or revoked only by a signed change', 'usage');
}

/** Marks a key's record revoked as of `at`, in a changeset the user's current key signs. */
function revokeWith(replica: Replica, revoked: string, at: string): Changeset | undefined {
  return replica.edit((e) => e.update(KEY_TYPE, keyRecordUuid(revoked), { revoked: at }, { raw: true }));
}

/**
 * A new key for the user, the old one revoked as of the new one's birth,
 * in one changeset signed by the new key (which announces itself in it).
 * What the old key signed before stays verified; peers that trusted the
 * old key must trust the new one.
 */
export function rotateKey(replica: Replica): { retired?: SigningKey; key: SigningKey; changeset?: Changeset } {
  const email = replica.requireIdentity();
  requireSigning(replica);
  const { retired, key } = replica.userKeys.rotate(email);
  const main = replica.mainReplica;
  if (retired && main.findRecord(keyRecordUuid(retired.fingerprint))) {
    return { retired, key, changeset: revokeWith(main, retired.fingerprint, key.created) };
  }
  // The old key never signed anything here: only the new one needs announcing.
  const changeset = main.edit((e) => e.create(KEY_TYPE, { email: key.email, public_key: key.publicKey, fingerprint: key.fingerprint, created: key.created }, { uuid: keyRecordUuid(key.fingerprint), raw: true }));
  return { retired, key, changeset };
}

/**
 * Revokes one of the user's own keys: changesets it signs after now no
 * longer count as verified anywhere the revocation reaches. Revoking the
 * key in use rotates it (a new key signs the revocation).
 */
export function revokeKey(replica: Replica, typed: string): { fingerprint: string; rotated?: SigningKey } {
  const main = replica.mainReplica;
  const email = main.requireIdentity();
  requireSigning(main);
  const fingerprint = resolveFingerprint(listKeys(main).map((k) => k.fingerprint), typed);
  const key = new KeyRing(main).key(fingerprint)!;
  if (key.email.toLowerCase() !== email.toLowerCase()) {
    throw new ProphetError(`key ${shortFingerprint(fingerprint)} is ${key.email}'s, not yours (${email}): you can revoke only your own keys; 'trust remove ${shortFingerprint(fingerprint)}' stops trusting it here`, 'usage');
  }
  if (!main.findRecord(keyRecordUuid(fingerprint))) throw new ProphetError(`key ${shortFingerprint(fingerprint)} has no record in this replica to revoke`, 'not-found');
  if (key.revoked) throw new ProphetError(`key ${shortFingerprint(fingerprint)} was revoked already, at ${key.revoked}`, 'exists');
  if (main.userKeys.current(email)?.fingerprint === fingerprint) {
    const { key: rotated } = rotateKey(main);
    return { fingerprint, rotated };
  }
  revokeWith(main, fingerprint, new Date().toISOString());
  return { fingerprint };
}
