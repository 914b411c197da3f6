/**
 * Ed25519 signatures of changesets. A signature covers the changeset's
 * exact bytes (its canonical JSON body) and travels beside them, outside
 * the hashed content, so signing changes neither a changeset's id nor its
 * hash. The signer's public key is carried in the signature itself: any
 * replica can check a signature without having met the key, and a key
 * record (see `replica/key-ring.ts`) only says whose the key claims to be.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { sha256Hex } from './hash.js';

/** `ed25519:<base64 raw public key>:<base64 signature>`: the algorithm is named so another can follow. */
const SIGNATURE_RE = /^ed25519:([A-Za-z0-9+/]{43}=):([A-Za-z0-9+/]{86}==)$/;

/** The DER prefix that makes a raw 32-byte Ed25519 public key an SPKI structure. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** How many hex digits of a fingerprint people see: 64 bits, enough to tell keys apart. */
export const SHORT_FINGERPRINT = 16;

/** A key's fingerprint: SHA-256 of its raw public key, hex. */
export function fingerprintOf(publicKey: string): string {
  return sha256Hex(Buffer.from(publicKey, 'base64'));
}

export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, SHORT_FINGERPRINT);
}

/** The raw public key, base64, of a key object. */
export function rawPublicKey(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length).toString('base64');
}

export function isPublicKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text);
}

/** Signs a changeset body with a private key whose raw public key is `publicKey`. */
export function signBody(body: string, privateKey: KeyObject, publicKey: string): string {
  return `ed25519:${publicKey}:${sign(null, Buffer.from(body, 'utf8'), privateKey).toString('base64')}`;
}

/** Whether a signature is well formed (its parts decode to a key and a signature of the right sizes). */
export function isWellFormedSignature(signature: string): boolean {
  return SIGNATURE_RE.test(signature);
}

/** The public key a signature claims to be made with, or undefined when it is malformed. */
export function signatureKey(signature: string): string | undefined {
  return SIGNATURE_RE.exec(signature)?.[1];
}

/** Public keys by their base64 text: a log is signed by few keys, and parsing one costs more than the check. */
const keyObjects = new Map<string, KeyObject>();

function publicKeyObject(publicKey: string): KeyObject {
  let key = keyObjects.get(publicKey);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey, 'base64')]), format: 'der', type: 'spki' });
    if (keyObjects.size > 1000) keyObjects.clear();
    keyObjects.set(publicKey, key);
  }
  return key;
}

/**
 * Checks a signature against the exact body it travelled with. Returns the
 * signing key's fingerprint when the signature is good, undefined when it
 * is malformed or does not match the body.
 */
export function verifySignature(body: string, signature: string): { publicKey: string; fingerprint: string } | undefined {
  const m = SIGNATURE_RE.exec(signature);
  if (!m) return undefined;
  const publicKey = m[1]!;
  try {
    if (!verify(null, Buffer.from(body, 'utf8'), publicKeyObject(publicKey), Buffer.from(m[2]!, 'base64'))) return undefined;
  } catch {
    // A string of the right shape that is no Ed25519 point.
    return undefined;
  }
  return { publicKey, fingerprint: fingerprintOf(publicKey) };
}
