import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { KeyRing, type SignatureStatus } from '../../src/prophet/replica/key-ring.js';
import { ownKey, publicKeyLine, trustKey } from '../../src/prophet/replica/key-management.js';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { setTrustPolicy } from '../../src/prophet/replica/trust-list.js';
import { tempDir } from '../helpers/temp-replica.js';

/** What a refused merge must leave exactly as it was: both logs' lengths and every merge ticket. */
export function footprint(replica: Replica) {
  return {
    main: replica.latestSequenceNo(),
    resolutions: replica.resdb.latestSequenceNo(),
    tickets: replica.mergeTickets(),
    resolutionTickets: replica.resdb.mergeTickets(),
  };
}

/** The signature status of every changeset a replica holds (nullifications, never signed, left out), by log. */
export function statuses(replica: Replica): { main: SignatureStatus[]; resolutions: SignatureStatus[] } {
  const ring = new KeyRing(replica);
  const of = (log: Replica) => [...log.changesets()].filter((cs) => !cs.is_nullification).map((cs) => ring.checkStored(cs, log).status);
  return { main: of(replica), resolutions: of(replica.resdb) };
}

/** Every changeset verified: signatures survived the trip, byte for byte. */
export function expectAllVerified(replica: Replica): void {
  const { main, resolutions } = statuses(replica);
  expect(main.length).toBeGreaterThan(0);
  expect([...new Set([...main, ...resolutions])]).toEqual(['verified']);
}

/** The same signatures on both sides, changeset by changeset: relays re-sign nothing. */
export function expectSameSignatures(a: Replica, b: Replica): void {
  const byId = (r: Replica) => Object.fromEntries([...r.changesets()].filter((cs) => !cs.is_nullification).map((cs) => [`${cs.original_sequence_no}@${cs.original_source_uuid}`, cs.signature ?? null]));
  const theirs = byId(b);
  for (const [id, signature] of Object.entries(byId(a))) if (id in theirs) expect(theirs[id]).toBe(signature);
}

/** The `key show --public` line of a replica's user, in a file, as a peer would receive it. */
export function publicKeyFileOf(replica: Replica): string {
  const key = ownKey(replica, { create: true })!;
  const file = join(tempDir('prophet-key-'), `${key.email}.pub`);
  writeFileSync(file, `${publicKeyLine(key)}\n`);
  return file;
}

/** `trust require` with the given people's keys trusted (their key files handed over). */
export function requireTrust(replica: Replica, ...trusted: Replica[]): void {
  setTrustPolicy(replica, 'require');
  for (const person of trusted) trustKey(replica, publicKeyFileOf(person));
}
