import type { Config } from '../replica/config.js';
import { splitArgv } from './args.js';
import { shellWords } from './shell-words.js';

/** Key suffix of aliases stored as `[alias "several words"]`: git-config keys cannot hold spaces. */
const EXPANSION_KEY = '.expands-to';
/** Names git-config can keep as a plain `[alias] name = ...` key (keys are case-insensitive, so lowercase only). */
const PLAIN_NAME = /^[a-z][a-z0-9-]*$/;

/** The config key an alias is stored under: `alias.pt`, or `alias.several words.expands-to`. */
export function aliasKey(words: string): string {
  return PLAIN_NAME.test(words) ? `alias.${words}` : `alias.${words}${EXPANSION_KEY}`;
}

/** Aliases in force, words → expansion, from both storage forms. */
export function aliasesOf(config: Config): Array<[string, string]> {
  return config.withPrefix('alias.').map(([key, value]): [string, string] =>
    key.endsWith(EXPANSION_KEY) ? [key.slice(0, -EXPANSION_KEY.length), value] : [key, value],
  );
}

/**
 * Rewrites argv by the alias whose words match its leading words, the
 * longest first (reference §4.6). `$1`, `$2`… in the expansion take the
 * words after the alias (missing ones are empty); without placeholders
 * they are added (see appendArgs). Expansion happens once, so an alias cannot loop.
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
  if (!/\$\d/.test(alias.expansion)) return appendArgs(expanded, rest);
  // Placeholders take the typed words; typed options and properties still apply.
  const typedWords = splitArgv(rest).words;
  const filled = expanded.map((w) => w.replace(/\$(\d+)/g, (_, n: string) => typedWords[Number(n) - 1] ?? ''));
  return appendArgs(filled, rest.slice(typedWords.length));
}

/**
 * Adds the words typed after an alias to its expansion, each part where
 * the grammar expects it: words after the expansion's words, options with
 * options, properties after one `--`. So `pt 3` with `pt = show --type Bug`
 * runs `show 3 --type Bug`.
 */
function appendArgs(expanded: string[], rest: string[]): string[] {
  const e = splitArgv(expanded);
  const r = splitArgv(rest);
  const props = e.propTokens || r.propTokens ? ['--', ...(e.propTokens ?? []), ...(r.propTokens ?? [])] : [];
  return [...e.words, ...r.words, ...e.optionTokens, ...r.optionTokens, ...props];
}
