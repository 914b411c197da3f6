import { randomUUID } from 'node:crypto';

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
