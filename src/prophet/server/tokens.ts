import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../model/hash.js';
import { ProphetError } from '../model/errors.js';
import { isInternalType } from '../model/types.js';
import type { Replica } from '../replica/replica.js';

/**
 * Bearer tokens for a server. Only a token's SHA-256 is kept, in the
 * replica's local metadata (never synced): whoever reads the replica
 * directory cannot push with what they find there. A token is
 * `<id>.<secret>`; the id names it in `list` and `revoke`.
 */
const NAMESPACE = 'server-token.';

/**
 * What a token lets its holder do: `read` a server that does not serve
 * everyone, `push` changesets, `write` records through the REST API.
 */
export const SCOPES = ['read', 'push', 'write'] as const;
export type Scope = (typeof SCOPES)[number];

/** What a valid token grants. */
export interface TokenGrant {
  id: string;
  scopes: Scope[];
  /** Set: the token may change records of this type only (REST writes and pushes). */
  type?: string;
}

export interface TokenInfo extends TokenGrant {
  label: string;
  created: string;
}

interface StoredToken {
  hash: string;
  label: string;
  created: string;
  /** Absent on tokens made before scopes existed: they could do everything, and still can. */
  scopes?: Scope[];
  type?: string;
}

export interface TokenLimits {
  /** Default: every scope. */
  scopes?: Scope[];
  type?: string;
}

/** `push,write` as scopes; an unknown name is the user's mistake, named. */
export function parseScopes(list: string): Scope[] {
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!(SCOPES as readonly string[]).includes(name)) throw new ProphetError(`'${name}' is not a token scope: the scopes are ${SCOPES.join(', ')}`, 'usage');
  }
  return SCOPES.filter((s) => names.includes(s));
}

function checkLimits({ scopes = [...SCOPES], type }: TokenLimits): { scopes: Scope[]; type?: string } {
  if (!scopes.length) throw new ProphetError(`give a token at least one scope: ${SCOPES.join(', ')}`, 'usage');
  if (type === undefined) return { scopes };
  if (type === '' || isInternalType(type)) throw new ProphetError(`'${type}' is not a record type a token can be limited to`, 'usage');
  if (!scopes.includes('push') && !scopes.includes('write')) throw new ProphetError('a record type limits what a token may change: give it with the push or write scope', 'usage');
  return { scopes, type };
}

export function createToken(replica: Replica, label = '', limits: TokenLimits = {}): { token: string; info: TokenInfo } {
  const { scopes, type } = checkLimits(limits);
  const id = randomBytes(4).toString('hex');
  const token = `${id}.${randomBytes(32).toString('base64url')}`;
  const stored: StoredToken = { hash: sha256Hex(token), label, created: new Date().toISOString(), scopes, ...(type !== undefined ? { type } : {}) };
  // A write transaction, so it waits its turn behind a running pull or edit.
  replica.transaction(() => replica.metadata(NAMESPACE).set(id, JSON.stringify(stored)));
  return { token, info: info(id, stored) };
}

function info(id: string, t: StoredToken): TokenInfo {
  return { id, label: t.label, created: t.created, scopes: t.scopes ?? [...SCOPES], ...(t.type !== undefined ? { type: t.type } : {}) };
}

function stored(replica: Replica, id: string): StoredToken | undefined {
  const raw = replica.metadata(NAMESPACE, { readOften: true }).get(id);
  return raw === undefined ? undefined : (JSON.parse(raw) as StoredToken);
}

export function listTokens(replica: Replica): TokenInfo[] {
  return replica
    .metadata(NAMESPACE)
    .entries()
    .map(([id, raw]) => info(id, JSON.parse(raw) as StoredToken));
}

export function revokeToken(replica: Replica, id: string): void {
  const key = id.toLowerCase();
  if (!stored(replica, key)) throw new ProphetError(`no server token has the id '${id}' ('prophet server token list' shows them)`, 'not-found');
  replica.transaction(() => replica.metadata(NAMESPACE).delete(key));
}

/** What the token with this id grants while it is not revoked: a browser session holds the id, never the token. */
export function tokenGrant(replica: Replica, id: string): TokenGrant | undefined {
  const t = stored(replica, id);
  return t && info(id, t);
}

/** What `token` grants, if it is one the owner created and has not revoked. */
export function verifyToken(replica: Replica, token: string): TokenGrant | undefined {
  const dot = token.indexOf('.');
  if (dot < 1 || !/^[0-9a-f]{8}$/.test(token.slice(0, dot))) return undefined;
  const id = token.slice(0, dot);
  const t = stored(replica, id);
  if (!t) return undefined;
  const a = Buffer.from(sha256Hex(token), 'hex');
  const b = Buffer.from(t.hash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  return info(id, t);
}
