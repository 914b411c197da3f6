/**
 * Which keys this replica trusts, and whether it takes changesets signed by
 * no trusted key. Trust is a local decision: it lives in the replica's
 * local metadata and never syncs.
 */
import { ProphetError } from '../model/errors.js';
import type { Replica } from './replica.js';

export type TrustPolicyName = 'optional' | 'require';

export interface TrustedKey {
  fingerprint: string;
  email: string;
  publicKey: string;
  /** When this replica started trusting it. */
  added: string;
}

const NAMESPACE = 'trust.';
const POLICY = 'policy';
const KEY_PREFIX = 'key.';

/** The main replica's metadata: a resolution database's changesets answer to the same trust. */
function trustMetadata(replica: Replica) {
  return (replica.isResolutionDatabase ? replica.mainReplica : replica).metadata(NAMESPACE, { readOften: true });
}

export function trustPolicy(replica: Replica): TrustPolicyName {
  return trustMetadata(replica).get(POLICY) === 'require' ? 'require' : 'optional';
}

export function setTrustPolicy(replica: Replica, policy: TrustPolicyName): void {
  if (policy === 'require') trustMetadata(replica).set(POLICY, policy);
  else trustMetadata(replica).delete(POLICY);
}

function parseEntry(fingerprint: string, text: string): TrustedKey | undefined {
  try {
    const raw = JSON.parse(text) as Partial<TrustedKey>;
    if (typeof raw.email !== 'string' || typeof raw.publicKey !== 'string') return undefined;
    return { fingerprint, email: raw.email, publicKey: raw.publicKey, added: raw.added ?? '' };
  } catch {
    return undefined;
  }
}

export function trustedKeys(replica: Replica): TrustedKey[] {
  const out: TrustedKey[] = [];
  for (const [key, value] of trustMetadata(replica).entries()) {
    if (!key.startsWith(KEY_PREFIX)) continue;
    const entry = parseEntry(key.slice(KEY_PREFIX.length), value);
    if (entry) out.push(entry);
  }
  return out;
}

export function trustedKey(replica: Replica, fingerprint: string): TrustedKey | undefined {
  const text = trustMetadata(replica).get(KEY_PREFIX + fingerprint.toLowerCase());
  return text === undefined ? undefined : parseEntry(fingerprint.toLowerCase(), text);
}

export function addTrustedKey(replica: Replica, key: Omit<TrustedKey, 'added'>): void {
  const entry = { email: key.email, publicKey: key.publicKey, added: new Date().toISOString() };
  trustMetadata(replica).set(KEY_PREFIX + key.fingerprint.toLowerCase(), JSON.stringify(entry));
}

export function removeTrustedKey(replica: Replica, fingerprint: string): void {
  if (!trustedKey(replica, fingerprint)) throw new ProphetError(`key ${fingerprint} is not trusted here`, 'not-found');
  trustMetadata(replica).delete(KEY_PREFIX + fingerprint.toLowerCase());
}
