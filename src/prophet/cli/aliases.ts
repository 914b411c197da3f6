import type { Config } from '../replica/config.js';
import { shellWords } from './shell-words.js';

/** Aliases in force: `[alias]` keys of the config, words → expansion. */
export function aliasesOf(config: Config): Array<[string, string]> {
  return config.withPrefix('alias.');
}

/**
 * Rewrites argv by the alias whose words match its leading words, the
 * longest first (reference §4.6). `$1`, `$2`… in the expansion take the
 * words after the alias (missing ones are empty); without placeholders
 * they are appended. Expansion happens once, so an alias cannot loop.
 */
export function expandAliases(argv: string[], aliases: Array<[string, string]>): string[] {
  const candidates = aliases
    .map(([name, expansion]) => ({ words: shellWords(name), expansion }))
    .filter(({ words }) => words.length > 0 && words.length <= argv.length && words.every((w, i) => argv[i] === w))
    .sort((a, b) => b.words.length - a.words.length);
  const alias = candidates[0];
  if (!alias) return argv;
  const rest = argv.slice(alias.words.length);
  const expanded = shellWords(alias.expansion);
  if (expanded.join('\0') === argv.slice(0, alias.words.length).join('\0')) return argv;
  if (!/\$\d/.test(alias.expansion)) return [...expanded, ...rest];
  return expanded.map((w) => w.replace(/\$(\d+)/g, (_, n: string) => rest[Number(n) - 1] ?? ''));
}
