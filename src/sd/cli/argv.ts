import { ATTACHMENT, COMMENT, TICKET } from '../model/record-types.js';

const RECORD_TYPES = [TICKET, COMMENT, ATTACHMENT];

/** `?topic` → `help topic`; `about`, `copying` → their help pages (reference §2.3). */
function helpShortcuts(argv: string[]): string[] {
  const [first, ...rest] = argv;
  if (first?.startsWith('?')) return ['help', ...(first.length > 1 ? [first.slice(1)] : []), ...rest];
  if ((first === 'about' || first === 'copying') && rest.length === 0) return ['help', first];
  return argv;
}

/** `sd list tickets`, `sd show ticket 3` → `sd ticket list`, `sd ticket show 3`. */
function reversedOrder(argv: string[]): string[] {
  const [verb, noun, ...rest] = argv;
  if (verb === undefined || verb === 'help' || verb === 'ticket' || verb.startsWith('-')) return argv;
  if (noun !== 'ticket' && noun !== 'tickets') return argv;
  return ['ticket', verb, ...rest];
}

/** `sd tickets list` → `sd ticket list`: the plural of a record type names the same commands. */
function singularType(argv: string[]): string[] {
  const [first, ...rest] = argv;
  const singular = first?.endsWith('s') ? first.slice(0, -1) : undefined;
  return singular && RECORD_TYPES.includes(singular) ? [singular, ...rest] : argv;
}

/** SD's command-line rewrites, applied before the framework parses. */
export function rewriteArgv(argv: string[]): string[] {
  return singularType(reversedOrder(helpShortcuts(argv)));
}
