import { randomUUID } from 'node:crypto';
import { sha1Hex } from './hash.js';

export function newUuid(): string {
  return randomUUID();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/** A local id is a positive integer written in decimal. */
export function isLuid(text: string): boolean {
  return /^[1-9][0-9]*$/.test(text);
}

/** Hex digits and dashes: what a user may type as the start of a uuid. */
export function isUuidPrefix(text: string): boolean {
  return /^[0-9a-f-]{4,36}$/i.test(text);
}

/**
 * A uuid that is a function of a name, shaped as a name-based (version 5)
 * uuid: records every replica must agree on without talking (a conflict's
 * vote, a signing key's record) get one.
 */
export function nameBasedUuid(name: string): string {
  const h = sha1Hex(name);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
