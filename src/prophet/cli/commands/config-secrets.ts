import { HIDDEN, isSecretKey, redactUrls } from '../../model/redact.js';
import { Credentials } from '../../replica/credentials.js';
import { splitKey } from '../../replica/git-config.js';
import type { Context } from '../context.js';
import { chosenScope } from '../config-scope.js';

/**
 * The `config` command's care for secrets: a config file is readable by
 * whoever can read the replica, so tokens and passwords go to the private
 * credentials file, and what is printed never shows one.
 */

/** A config value as it may be printed: a secret hidden, a URL's password masked. */
export function printable(key: string, value: string): string {
  return isSecretKey(key) ? HIDDEN : redactUrls(value);
}

/** Where `replica.NAME.token` (or `.password`...) is filed in the credentials file; undefined for other keys. */
export function replicaSecret(key: string): { subject: string; name: string } | undefined {
  if (!isSecretKey(key)) return undefined;
  const { section, sub, name } = splitKey(key);
  return section === 'replica' && sub !== undefined ? { subject: sub, name } : undefined;
}

/** The secret in force: the credentials file's, else one an older release kept in the config. */
export function currentSecret(ctx: Context, key: string, secret: { subject: string; name: string }): string | undefined {
  return Credentials.load(ctx.env).get(secret.subject, secret.name) ?? ctx.config().get(key);
}

/**
 * Saves (or with undefined, removes) a replica's secret in the credentials
 * file, and removes the copy an older release kept in the chosen config
 * file. Returns the credentials file's path.
 */
export function setReplicaSecret(ctx: Context, key: string, secret: { subject: string; name: string }, value: string | undefined): string {
  const credentials = Credentials.load(ctx.env);
  credentials.set(secret.subject, secret.name, value);
  const config = ctx.config();
  if (config.get(key) !== undefined) config.set(key, undefined, chosenScope(ctx));
  return credentials.path;
}
