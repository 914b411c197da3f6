import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../model/hash.js';
import { ProphetError } from '../model/errors.js';
import type { Replica } from '../replica/replica.js';

/**
 * Bearer tokens for a writable server. Only a token's SHA-256 is kept, in
 * the replica's local metadata (never synced): whoever reads the replica
 * directory cannot push with what they find there. A token is
 * `<id>.<secret>`; the id names it in `list` and `revoke`.
 */
const PREFIX = 'server-token.';

export interface TokenInfo {
  id: string;
  label: string;
  created: string;
}

interface StoredToken {
  hash: string;
  label: string;
  created: string;
}

export function createToken(replica: Replica, label = ''): { token: string; info: TokenInfo } {
  const id = randomBytes(4).toString('hex');
  const token = `${id}.${randomBytes(32).toString('base64url')}`;
  const stored: StoredToken = { hash: sha256Hex(token), label, created: new Date().toISOString() };
  // Through a transaction, so a full or read-only disk is reported as one.
  replica.transaction(() => replica.store.setMeta(PREFIX + id, JSON.stringify(stored)));
  return { token, info: { id, label, created: stored.created } };
}

function stored(replica: Replica, id: string): StoredToken | undefined {
  const raw = replica.store.getMeta(PREFIX + id);
  return raw === undefined ? undefined : (JSON.parse(raw) as StoredToken);
}

export function listTokens(replica: Replica): TokenInfo[] {
  return replica.store
    .allMeta()
    .filter(([key]) => key.startsWith(PREFIX))
    .map(([key, raw]) => {
      const t = JSON.parse(raw) as StoredToken;
      return { id: key.slice(PREFIX.length), label: t.label, created: t.created };
    });
}

export function revokeToken(replica: Replica, id: string): void {
  const key = id.toLowerCase();
  if (!stored(replica, key)) throw new ProphetError(`no server token has the id '${id}' ('prophet server token list' shows them)`, 'not-found');
  replica.transaction(() => replica.store.deleteMeta(PREFIX + key));
}

/** Whether `token` is one the owner created and has not revoked. */
export function verifyToken(replica: Replica, token: string): boolean {
  const dot = token.indexOf('.');
  if (dot < 1 || !/^[0-9a-f]{8}$/.test(token.slice(0, dot))) return false;
  const t = stored(replica, token.slice(0, dot));
  if (!t) return false;
  const a = Buffer.from(sha256Hex(token), 'hex');
  const b = Buffer.from(t.hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
