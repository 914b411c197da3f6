/**
 * The trust policy a merge enforces on what it brings in. With `trust
 * require` every changeset must be signed, its signature must match its
 * bytes, its key must be on the replica's trusted list under the
 * creator's email, and it must not be made after its key was revoked. A
 * refusal is thrown inside the merge's transaction, which a target under
 * this policy makes one for the whole merge: nothing is applied.
 *
 * With `trust optional` (the default) nothing is refused for its
 * signature: signatures are stored and relayed as received and checked
 * when shown, so a clone does not pay a signature check per changeset.
 */
import { changesetId, describeWhere, type Where } from '../model/changeset.js';
import { ProphetError } from '../model/errors.js';
import { shortFingerprint, verifySignature } from '../model/signature.js';
import type { ChangesetContent } from '../model/types.js';
import { KEY_TYPE } from '../replica/key-record.js';
import { KeyRing } from '../replica/key-ring.js';
import type { Replica } from '../replica/replica.js';
import { trustedKey, trustPolicy } from '../replica/trust-list.js';

/** A changeset refused by the replica's trust policy. */
export class UntrustedChangesetError extends ProphetError {
  constructor(message: string) {
    super(message, 'untrusted');
    this.name = 'UntrustedChangesetError';
  }
}

export class TrustPolicy {
  private readonly ring: KeyRing;

  private constructor(private readonly replica: Replica) {
    this.ring = new KeyRing(replica);
  }

  /** The policy a merge into `replica` enforces, or undefined when it takes any changeset (trust optional). */
  static of(replica: Replica): TrustPolicy | undefined {
    return trustPolicy(replica) === 'require' ? new TrustPolicy(replica.mainReplica) : undefined;
  }

  /** Forgets keys read so far: a transaction retried after a rollback must not see what it undid. */
  restart(): void {
    this.ring.forget();
  }

  /** Refuses a changeset the policy does not accept; `where` names where it came from. */
  check(content: ChangesetContent, body: string, signature: string | undefined, where: Where): void {
    const id = changesetId(content.original_source_uuid, content.original_sequence_no);
    const author = content.creator ?? '(no creator)';
    // The reason comes first and short: a server's refusal of a push reaches the pusher cut to 200 characters.
    const refuse = (why: string, fix: string) =>
      new UntrustedChangesetError(`refused changeset ${id} by ${author}: ${why} (this replica is set to 'trust require'; ${fix}); nothing was merged (it came as ${describeWhere(where)})`);
    if (!signature) throw refuse('it is unsigned', "'trust optional' takes unsigned changesets");
    const good = verifySignature(body, signature);
    if (!good) throw refuse('its signature does not match its content', 'it was altered after it was signed');
    const short = shortFingerprint(good.fingerprint);
    const trusted = trustedKey(this.replica, good.fingerprint);
    if (!trusted) {
      const claimed = this.ring.key(good.fingerprint)?.email;
      throw refuse(`it is signed by key ${short}${claimed ? ` (${claimed}'s)` : ''}, which this replica does not trust`, `'trust add ${short}' trusts it`);
    }
    if (!content.creator || trusted.email.toLowerCase() !== content.creator.toLowerCase()) {
      throw refuse(`it is signed by ${trusted.email}'s key ${short}, not by its author's`, 'a change re-attributed to someone else is not accepted');
    }
    const revoked = this.ring.key(good.fingerprint)?.revoked;
    if (revoked && Date.parse(content.created) > Date.parse(revoked)) {
      throw refuse(`it is signed by key ${short}, which its owner revoked at ${revoked}, and made after that`, `ask ${trusted.email} for their new key`);
    }
    // Key records change here: the next changeset must see this one's keys and revocations.
    if (Object.values(content.changes).some((c) => c.record_type === KEY_TYPE)) this.ring.forget();
  }
}
