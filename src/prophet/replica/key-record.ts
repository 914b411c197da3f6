/**
 * Public keys travel as records of the database, so peers learn them by
 * syncing: one `__prophet_key` record per key, its uuid a function of the
 * key's fingerprint (every replica names it the same), created by the
 * first changeset its owner signs with it. A key record is a claim ("this
 * key is alice's"), not a proof: trust-listing a key is what makes it one.
 */
import { nameBasedUuid } from '../model/uuid.js';
import type { Change } from '../model/types.js';
import type { SigningKey } from './keys.js';

export const KEY_TYPE = '__prophet_key';

export function keyRecordUuid(fingerprint: string): string {
  return nameBasedUuid(`prophet-key:${fingerprint.toLowerCase()}`);
}

/**
 * The change that adds a key's record. Its values depend on the key alone,
 * so two replicas of one user that announce the same key concurrently
 * write identical records.
 */
export function keyRecordChange(key: SigningKey): Change {
  const props: Record<string, string> = { email: key.email, public_key: key.publicKey, fingerprint: key.fingerprint, created: key.created };
  return {
    record_type: KEY_TYPE,
    change_type: 'add',
    pred: [],
    prop_changes: Object.fromEntries(Object.entries(props).map(([name, value]) => [name, { old_value: null, new_value: value, pred: [] }])),
  };
}
