/**
 * The keys a replica knows (key records it holds, keys it trusts) and what
 * a changeset's signature is worth against them. One ring serves a whole
 * command or merge: each key is read once.
 */
import { fingerprintOf, isPublicKey, verifySignature } from '../model/signature.js';
import type { Changeset } from '../model/types.js';
import { history } from './history.js';
import { KEY_TYPE, keyRecordUuid } from './key-record.js';
import type { Replica } from './replica.js';
import { trustedKey } from './trust-list.js';

/** A key as this replica knows it. */
export interface KnownKey {
  fingerprint: string;
  email: string;
  publicKey: string;
  created?: string;
  /**
   * When its owner revoked it: changesets it signed that were made after
   * this no longer count as verified. (Made when, by their own claim: a
   * stolen key can backdate, which is why a stolen key is removed from
   * the trusted keys rather than only revoked.)
   */
  revoked?: string;
}

/**
 * - `verified`: signed by a key this replica holds for the creator's email, not revoked when it was made
 * - `unsigned`: no signature (made with signing off, or before signatures existed)
 * - `unknown-key`: a good signature by a key this replica has no record of
 * - `bad-signature`: the signature does not match the bytes (altered after signing)
 * - `revoked-key`: made after its key was revoked
 * - `wrong-signer`: signed by a key that belongs to another email than the creator's
 */
export type SignatureStatus = 'verified' | 'unsigned' | 'unknown-key' | 'bad-signature' | 'revoked-key' | 'wrong-signer';

export interface SignatureCheck {
  status: SignatureStatus;
  /** The signing key's fingerprint, when the signature is good. */
  fingerprint?: string;
  /** Whose the signing key is, when known. */
  signer?: string;
  /** Whether the signing key is on this replica's trusted list. */
  trusted: boolean;
}

/** What a check needs of a changeset: its exact bytes, their signature, and who and when it claims. */
export interface SignedBytes {
  body: string;
  signature: string | null | undefined;
  creator: string | null;
  created: string;
}

function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

function earlier(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) < Date.parse(a) ? b : a;
}

export class KeyRing {
  private readonly keys = new Map<string, KnownKey | null>();
  private readonly replica: Replica;

  /** Over the main replica: keys live in its records and its trust list, whichever log a changeset is in. */
  constructor(replica: Replica) {
    this.replica = replica.mainReplica;
  }

  /** Drops what was read: key records changed (a merge brought some). */
  forget(): void {
    this.keys.clear();
  }

  /** A key by fingerprint: from its record, else from the trusted list (a key trusted from its file before its record arrived). */
  key(fingerprint: string): KnownKey | undefined {
    return this.lookup(fingerprint, new Set());
  }

  private lookup(fingerprint: string, visiting: Set<string>): KnownKey | undefined {
    const cached = this.keys.get(fingerprint);
    if (cached !== undefined) return cached ?? undefined;
    visiting.add(fingerprint);
    const key = this.fromRecord(fingerprint, visiting) ?? this.fromTrustList(fingerprint);
    this.keys.set(fingerprint, key ?? null);
    return key;
  }

  private fromTrustList(fingerprint: string): KnownKey | undefined {
    const trusted = trustedKey(this.replica, fingerprint);
    return trusted && { fingerprint, email: trusted.email, publicKey: trusted.publicKey };
  }

  /**
   * A key's record, read from its history: the values of its announcement
   * signed by the key itself (so nobody can announce someone else's key
   * under another email, and a later edit cannot re-attribute it), and the
   * earliest revocation written by a changeset its owner signed (a key of
   * the same email), so nobody else can revoke it.
   */
  private fromRecord(fingerprint: string, visiting: Set<string>): KnownKey | undefined {
    const uuid = keyRecordUuid(fingerprint);
    const record = this.replica.findRecord(uuid);
    if (!record || record.type !== KEY_TYPE) return undefined;
    const entries = history(this.replica, uuid);
    const announced = entries.find(({ changeset, change }) => {
      const publicKey = change.prop_changes.public_key?.new_value;
      // A record whose key does not hash to its fingerprint names some other key: it proves nothing.
      if (!change.prop_changes.email?.new_value || !publicKey || !isPublicKey(publicKey) || fingerprintOf(publicKey) !== fingerprint) return false;
      return this.signerOf(changeset) === fingerprint;
    });
    if (!announced) return undefined;
    const props = announced.change.prop_changes;
    const key: KnownKey = { fingerprint, email: props.email!.new_value!, publicKey: props.public_key!.new_value!, created: props.created?.new_value ?? undefined };
    const email = key.email;
    for (const { changeset, change } of entries) {
      const revoked = change.prop_changes.revoked?.new_value;
      if (!revoked || Number.isNaN(Date.parse(revoked))) continue;
      if (this.signedByOwner(changeset, email, fingerprint, visiting)) key.revoked = earlier(key.revoked, revoked);
    }
    return key;
  }

  /** The fingerprint of the key that validly signed a stored changeset, if any. */
  private signerOf(changeset: Changeset): string | undefined {
    const row = this.replica.rawChangeset(changeset.sequence_no);
    return row?.signature ? verifySignature(row.body, row.signature)?.fingerprint : undefined;
  }

  private signedByOwner(changeset: Changeset, email: string, fingerprint: string, visiting: Set<string>): boolean {
    const signer = this.signerOf(changeset);
    if (!signer) return false;
    if (signer === fingerprint) return true;
    if (visiting.has(signer)) return false;
    return sameEmail(this.lookup(signer, visiting)?.email, email);
  }

  isTrusted(fingerprint: string): boolean {
    return trustedKey(this.replica, fingerprint) !== undefined;
  }

  /** What a signature is worth: checks the bytes, then the key against the creator and its revocation. */
  check(cs: SignedBytes): SignatureCheck {
    if (!cs.signature) return { status: 'unsigned', trusted: false };
    const good = verifySignature(cs.body, cs.signature);
    if (!good) return { status: 'bad-signature', trusted: false };
    const { fingerprint } = good;
    const trusted = this.isTrusted(fingerprint);
    const key = this.key(fingerprint);
    if (!key) return { status: 'unknown-key', fingerprint, trusted };
    const signer = key.email;
    if (!sameEmail(signer, cs.creator)) return { status: 'wrong-signer', fingerprint, signer, trusted };
    if (key.revoked && Date.parse(cs.created) > Date.parse(key.revoked)) return { status: 'revoked-key', fingerprint, signer, trusted };
    return { status: 'verified', fingerprint, signer, trusted };
  }

  /** The check of a changeset stored in `log` (this replica, or its resolution database), on its stored bytes. */
  checkStored(cs: Changeset, log: Replica = this.replica): SignatureCheck {
    const row = log.rawChangeset(cs.sequence_no);
    return this.check({ body: row?.body ?? '', signature: row?.signature, creator: cs.creator, created: cs.created });
  }
}
