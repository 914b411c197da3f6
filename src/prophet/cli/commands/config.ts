import { existsSync, readFileSync } from 'node:fs';
import { ProphetError } from '../../model/errors.js';
import { setPasswordAside } from '../../replica/credentials.js';
import { parseGitConfig } from '../../replica/git-config.js';
import type { Command } from '../command.js';
import { chosenScope, SCOPE_FLAGS } from '../config-scope.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { currentSecret, printable, replicaSecret, setReplicaSecret } from './config-secrets.js';

function showConfig(ctx: Context): void {
  const config = ctx.config();
  const files = config.files.map((f) => ({ scope: f.scope, path: f.path, exists: existsSync(f.path) }));
  const entries = config.entries().map(([k, v]): [string, string] => [k, printable(k, v)]);
  if (ctx.json) {
    ctx.printJson({ files, values: Object.fromEntries(entries) });
    return;
  }
  ctx.out('Configuration files (later ones override earlier ones):');
  for (const f of files) ctx.out(`  ${f.path} (${f.scope}${f.exists ? '' : ', does not exist'})`);
  ctx.out('', 'Your configuration:');
  for (const [k, v] of entries) ctx.out(`  ${k}=${v}`);
}

function getKey(ctx: Context, key: string): void {
  const secret = replicaSecret(key);
  const raw = secret ? currentSecret(ctx, key, secret) : ctx.config().get(key);
  const value = raw === undefined ? undefined : printable(key, raw);
  if (ctx.json) ctx.printJson({ key, value: value ?? null });
  else if (value === undefined) throw new ProphetError(`Key ${key} is not set.`, 'not-found');
  else ctx.out(value);
}

function setKey(ctx: Context, key: string, given: string | undefined): void {
  const config = ctx.config();
  const scope = chosenScope(ctx);
  const secret = replicaSecret(key);
  const before = secret ? currentSecret(ctx, key, secret) : config.get(key);
  if (given === undefined && before === undefined) throw new ProphetError(`Key ${key} is not set.`, 'not-found');
  // A URL's password goes to the credentials file too; the config keeps the URL without it.
  const value = secret || given === undefined ? given : setPasswordAside(given, ctx.env);
  let file: string;
  if (secret) file = setReplicaSecret(ctx, key, secret, value);
  else {
    config.set(key, value, scope);
    file = config.fileFor(scope);
  }
  const shown = value === undefined ? undefined : printable(key, value);
  if (ctx.json) ctx.printJson({ key, value: shown ?? null, file });
  else ctx.out(shown === undefined ? `Deleted ${key} from ${file}.` : `Set ${key} to '${shown}' in ${file}.`);
}

function editConfig(ctx: Context): void {
  const config = ctx.config();
  const file = config.fileFor(chosenScope(ctx));
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const after = ctx.editText(before, 'config');
  if (after === before) {
    ctx.out('Config not changed.');
    return;
  }
  // Refuse text we could not read back, so a typo cannot break every later command.
  parseGitConfig(after, file);
  config.write(chosenScope(ctx), after);
  ctx.out(`Updated ${file}.`);
}

/** Splits `KEY=VALUE`, `KEY = VALUE` and `KEY VALUE` into a key and a value. */
function keyAndValue(words: string[]): [string, string | undefined] {
  const [first, ...rest] = words;
  if (first === undefined) throw new UsageError('which key? e.g. config user.email-address you@example.com');
  const eq = first.indexOf('=');
  if (eq > 0 && rest.length === 0) return [first.slice(0, eq), first.slice(eq + 1)];
  const values = rest[0] === '=' ? rest.slice(1) : rest;
  if (values.length > 1) throw new UsageError(`too many words after '${first}': quote a value that has spaces`);
  return [first, values[0]];
}

export const configCommand: Command = {
  names: ['config'],
  summary: 'Show or change the local configuration (never synced)',
  usage: [
    'config [show]',
    'config [get] KEY',
    'config [set|add] KEY VALUE   (also KEY=VALUE)',
    'config delete KEY',
    'config edit',
    '(set, add, delete and edit take --user or --global; the default is the replica\'s file)',
  ],
  options: { flags: [...SCOPE_FLAGS] },
  run(ctx) {
    const [sub, ...rest] = ctx.words;
    switch (sub) {
      case undefined:
      case 'show':
        ctx.noMoreWords(1);
        return showConfig(ctx);
      case 'edit':
        ctx.noMoreWords(1);
        return editConfig(ctx);
      case 'get':
        ctx.noMoreWords(2);
        return getKey(ctx, keyAndValue(rest)[0]);
      case 'delete':
      case 'rm':
        ctx.noMoreWords(2);
        return setKey(ctx, keyAndValue(rest)[0], undefined);
      case 'set':
      case 'add': {
        const [key, value] = keyAndValue(rest);
        if (value === undefined) throw new UsageError(`no value for ${key}: config ${sub} ${key} VALUE`);
        return setKey(ctx, key, value);
      }
      default: {
        const [key, value] = keyAndValue(ctx.words);
        return value === undefined ? getKey(ctx, key) : setKey(ctx, key, value);
      }
    }
  },
};
