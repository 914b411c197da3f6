/**
 * trust and key: which signing keys this replica trusts and whether it
 * takes changesets signed by no trusted key (local decisions, never
 * synced), and the user's own key (show, rotate, revoke).
 */
import { ProphetError } from '../../model/errors.js';
import { shortFingerprint } from '../../model/signature.js';
import { identityFrom } from '../../replica/config.js';
import { listKeys, ownKey, publicKeyLine, resolveFingerprint, revokeKey, rotateKey, trustKey } from '../../replica/key-management.js';
import { signingEnabled, UserKeys } from '../../replica/keys.js';
import { removeTrustedKey, setTrustPolicy, trustedKeys, trustPolicy, addTrustedKey } from '../../replica/trust-list.js';
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { showTime } from '../time-format.js';

function needFingerprint(ctx: Context, what: string): string {
  const typed = ctx.words[0];
  if (!typed) throw new UsageError(`${what} which key? give its fingerprint as 'trust list' shows it (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
  ctx.noMoreWords(1);
  return typed;
}

const POLICY_TEXT = {
  require: 'require: only changesets signed by a trusted key are merged into this replica',
  optional: 'optional: changesets are merged signed or not; log and history show what each signature is worth',
};

export const trustListCommand: Command = {
  names: ['trust list', 'trust'],
  summary: 'List the signing keys this replica knows: whose, trusted or not, revoked or not; and the trust policy',
  usage: ['trust list'],
  run(ctx) {
    ctx.noMoreWords();
    const replica = ctx.replica();
    const policy = trustPolicy(replica);
    const keys = listKeys(replica);
    if (ctx.json) {
      ctx.printJson({ policy, keys });
      return;
    }
    ctx.out(`Trust policy: ${POLICY_TEXT[policy]}.`);
    if (!keys.length) ctx.out('No signing keys known yet.');
    for (const k of keys) {
      const marks = [k.trusted ? 'trusted' : 'not trusted', k.revoked ? `revoked ${k.revoked}` : '', k.yours ? 'yours' : ''].filter(Boolean);
      ctx.out(`${shortFingerprint(k.fingerprint)}  ${k.email}  ${marks.join(', ')}`);
    }
  },
};

export const trustRequireCommand: Command = {
  names: ['trust require'],
  summary: 'Merge only changesets signed by trusted keys into this replica (pull, push, bundles, a server taking pushes)',
  usage: ['trust require'],
  run(ctx) {
    ctx.noMoreWords();
    const replica = ctx.replica();
    setTrustPolicy(replica, 'require');
    // Your own changesets come back to you from other replicas: trust your key, made now if need be.
    const mine = replica.signing && replica.identity() ? ownKey(replica, { create: true }) : undefined;
    if (mine) addTrustedKey(replica, mine);
    if (ctx.json) {
      ctx.printJson({ policy: 'require', trusted: trustedKeys(replica).map((k) => k.fingerprint) });
      return;
    }
    ctx.out(`Trust policy: ${POLICY_TEXT.require}.`);
    if (mine) ctx.out(`Your key ${shortFingerprint(mine.fingerprint)} (${mine.email}) is trusted.`);
    ctx.out(`Trusted keys: ${trustedKeys(replica).length}. Add others with '${ctx.app.name} trust add FINGERPRINT|KEYFILE'.`);
  },
};

export const trustOptionalCommand: Command = {
  names: ['trust optional'],
  summary: 'Merge changesets whoever signed them, or nobody (the default)',
  usage: ['trust optional'],
  run(ctx) {
    ctx.noMoreWords();
    setTrustPolicy(ctx.replica(), 'optional');
    if (ctx.json) ctx.printJson({ policy: 'optional' });
    else ctx.out(`Trust policy: ${POLICY_TEXT.optional}.`);
  },
};

export const trustAddCommand: Command = {
  names: ['trust add'],
  summary: "Trust a signing key: a fingerprint of a key this replica knows, or a key file ('key show --public' writes one)",
  usage: ['trust add FINGERPRINT|KEYFILE'],
  run(ctx) {
    const key = trustKey(ctx.replica(), needFingerprint(ctx, 'trust'));
    if (ctx.json) ctx.printJson({ ...key, trusted: true });
    else ctx.out(`Trusted key ${shortFingerprint(key.fingerprint)} of ${key.email}.`);
  },
};

export const trustRemoveCommand: Command = {
  names: ['trust remove'],
  summary: 'Stop trusting a signing key (what it signed stays; new changesets it signs are refused under trust require)',
  usage: ['trust remove FINGERPRINT'],
  run(ctx) {
    const replica = ctx.replica();
    const fingerprint = resolveFingerprint(trustedKeys(replica).map((k) => k.fingerprint), needFingerprint(ctx, 'stop trusting'));
    removeTrustedKey(replica, fingerprint);
    if (ctx.json) ctx.printJson({ fingerprint, trusted: false });
    else ctx.out(`Key ${shortFingerprint(fingerprint)} is no longer trusted here.`);
  },
};

export const trustRevokeCommand: Command = {
  names: ['trust revoke', 'key revoke'],
  summary: 'Revoke one of your own keys, for every replica the revocation reaches (revoking the key in use makes a new one)',
  usage: ['trust revoke FINGERPRINT'],
  run(ctx) {
    const { fingerprint, rotated } = revokeKey(ctx.replica(), needFingerprint(ctx, 'revoke'));
    if (ctx.json) {
      ctx.printJson({ fingerprint, revoked: true, new_key: rotated?.fingerprint ?? null });
      return;
    }
    ctx.out(`Revoked key ${shortFingerprint(fingerprint)}; changesets it signs from now on are not verified anywhere this revocation syncs to.`);
    if (rotated) ctx.out(`It was your key in use: your new key is ${shortFingerprint(rotated.fingerprint)}. Peers that trusted the old key must trust the new one.`);
  },
};

export const keyShowCommand: Command = {
  names: ['key show', 'key'],
  summary: 'Show your signing key (made now if you have none); --public prints the line peers give to trust add',
  usage: ['key show [--public]'],
  options: { flags: ['public'] },
  run(ctx) {
    ctx.noMoreWords();
    const config = ctx.config();
    const email = identityFrom(config, ctx.env);
    if (!email) throw new ProphetError(`no identity to show a key for: run '${ctx.app.name} config user.email-address you@example.com' or set PROPHET_EMAIL`, 'identity');
    const keys = new UserKeys(ctx.env);
    const key = keys.currentOrNew(email);
    if (!key) throw new ProphetError('cannot make a signing key: the configuration directory cannot be written', 'io');
    const signing = signingEnabled(config, ctx.env);
    if (ctx.json) {
      ctx.printJson({ email: key.email, fingerprint: key.fingerprint, created: key.created, file: key.file, public_key: key.publicKey, signing });
      return;
    }
    if (ctx.flag('public')) {
      ctx.out(publicKeyLine(key));
      return;
    }
    ctx.out(
      `email:       ${key.email}`,
      `fingerprint: ${shortFingerprint(key.fingerprint)} (${key.fingerprint})`,
      `created:     ${showTime(key.created)}`,
      `file:        ${key.file}`,
      `signing:     ${signing ? 'on' : 'off (PROPHET_SIGNING or user.signing turns it off)'}`,
      `public key:  ${publicKeyLine(key)}`,
    );
  },
};

export const keyRotateCommand: Command = {
  names: ['key rotate'],
  summary: 'Make a new signing key and revoke the old one (what the old key signed until now stays verified)',
  usage: ['key rotate'],
  run(ctx) {
    ctx.noMoreWords();
    const { retired, key } = rotateKey(ctx.replica());
    if (ctx.json) {
      ctx.printJson({ fingerprint: key.fingerprint, email: key.email, retired: retired?.fingerprint ?? null });
      return;
    }
    ctx.out(`Your new key is ${shortFingerprint(key.fingerprint)} (${key.email}).`);
    if (retired) ctx.out(`Key ${shortFingerprint(retired.fingerprint)} is revoked as of now. Peers that trusted it must trust the new one: give them the line '${ctx.app.name} key show --public' prints.`);
  },
};

/** Trust and keys. */
export const trustCommands: Command[] = [trustListCommand, trustRequireCommand, trustOptionalCommand, trustAddCommand, trustRemoveCommand, trustRevokeCommand, keyShowCommand, keyRotateCommand];
