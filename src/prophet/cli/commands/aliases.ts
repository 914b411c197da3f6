import { ProphetError } from '../../model/errors.js';
import { aliasesOf, aliasKey } from '../aliases.js';
import type { Command } from '../command.js';
import { chosenScope, SCOPE_FLAGS } from '../config-scope.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

function showAliases(ctx: Context): void {
  const aliases = aliasesOf(ctx.config());
  if (ctx.json) {
    ctx.printJson(Object.fromEntries(aliases));
    return;
  }
  if (aliases.length === 0) {
    ctx.out('No aliases for the current repository.');
    return;
  }
  ctx.out('Active aliases for the current repository (including user-wide and global', 'aliases if not overridden):', '');
  for (const [name, expansion] of aliases) ctx.out(`${name} = ${expansion}`);
}

/** Sets (expansion) or deletes (undefined) one alias and says what happened. */
function setAlias(ctx: Context, name: string, expansion: string | undefined): string {
  const config = ctx.config();
  const old = new Map(aliasesOf(config)).get(name);
  if (expansion === undefined && old === undefined) throw new ProphetError(`there is no alias '${name}'; 'aliases show' lists them`, 'not-found');
  if (old === expansion) return `Alias '${name}' is already '${expansion}'`;
  config.set(aliasKey(name), expansion, chosenScope(ctx));
  if (expansion === undefined) return `Deleted alias '${name}'`;
  return old === undefined ? `Added alias '${name}' = '${expansion}'` : `Changed alias '${name}' from '${old}' to '${expansion}'`;
}

/** `NAME EXPANSION`, `NAME = EXPANSION` or `NAME=EXPANSION`. */
function nameAndExpansion(words: string[]): [string, string] {
  if (words.length === 1 && words[0]!.includes('=')) {
    const eq = words[0]!.indexOf('=');
    words = [words[0]!.slice(0, eq).trim(), words[0]!.slice(eq + 1).trim()];
  }
  const [name, ...rest] = words;
  const expansion = rest[0] === '=' ? rest.slice(1) : rest;
  if (!name || expansion.length !== 1 || expansion[0] === '') {
    throw new UsageError(`an alias is a name and one quoted expansion: aliases add "NAME" "EXPANSION" (or NAME=EXPANSION)`);
  }
  return [name, expansion[0]!];
}

function editAliases(ctx: Context): void {
  const before = new Map(aliasesOf(ctx.config()));
  const template = ['# One alias per line: NAME = EXPANSION. Remove a line to delete the alias.', ...[...before].map(([n, e]) => `${n} = ${e}`)].join('\n') + '\n';
  const edited = ctx.editText(template, 'aliases.txt');
  if (edited === template) {
    ctx.out('No aliases changed.');
    return;
  }
  const after = new Map<string, string>();
  for (const line of edited.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UsageError(`cannot read '${line}': write NAME = EXPANSION; no alias was changed`);
    after.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const messages = [...after].filter(([n, e]) => before.get(n) !== e).map(([n, e]) => setAlias(ctx, n, e));
  for (const n of before.keys()) if (!after.has(n)) messages.push(setAlias(ctx, n, undefined));
  ctx.out(...(messages.length ? messages : ['No aliases changed.']));
}

export const aliasesCommand: Command = {
  names: ['aliases', 'alias'],
  summary: 'Show or change command aliases (expanded before a command runs)',
  usage: [
    'aliases [show]',
    'aliases add|set "NAME" "EXPANSION"   (also NAME=EXPANSION; $1, $2... take the words after NAME)',
    'aliases delete "NAME"',
    'aliases edit',
    '(add, set, delete and edit take --user or --global; the default is the replica\'s file)',
  ],
  options: { flags: [...SCOPE_FLAGS] },
  run(ctx) {
    const [sub, ...rest] = ctx.words;
    let message: string;
    switch (sub) {
      case undefined:
      case 'show':
        ctx.noMoreWords(1);
        return showAliases(ctx);
      case 'edit':
        ctx.noMoreWords(1);
        return editAliases(ctx);
      case 'delete':
      case 'rm': {
        if (rest.length !== 1) throw new UsageError('which alias? aliases delete "NAME"');
        message = setAlias(ctx, rest[0]!, undefined);
        break;
      }
      case 'add':
      case 'set':
        message = setAlias(ctx, ...nameAndExpansion(rest));
        break;
      default:
        message = setAlias(ctx, ...nameAndExpansion(ctx.words));
    }
    if (ctx.json) ctx.printJson({ aliases: Object.fromEntries(aliasesOf(ctx.config())) });
    else ctx.out(message);
  },
};
