import { propertyNameProblem } from '../model/property-names.js';
import parser from 'yargs-parser';
import type { Comparator, Criterion } from '../replica/search.js';
import type { OptionSpec } from './command.js';
import { UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Required<OptionSpec> = {
  flags: ['json', 'debug', 'help', 'no-color', 'no-pager'],
  values: ['repo', 'store'],
  short: { h: 'help' },
};

/**
 * A command line cut where the grammar cuts it (reference §5.1): the
 * tokens before `--` or `--props`, where words and options mix in any
 * order, and the tokens after, which are properties.
 */
export interface SplitArgv {
  words: string[];
  optionTokens: string[];
  propTokens: string[] | undefined;
}

/** Whether a token is an option rather than a word: `-` alone is a word (standard input). */
export function isOptionToken(token: string): boolean {
  return token.startsWith('-') && token !== '-';
}

/** The leading words, the options after them, and the properties: how aliases see a command line. */
export function splitArgv(argv: string[]): SplitArgv {
  const propStart = argv.findIndex((t) => t === '--' || t === '--props');
  const head = propStart < 0 ? argv : argv.slice(0, propStart);
  const firstOption = head.findIndex(isOptionToken);
  const wordEnd = firstOption < 0 ? head.length : firstOption;
  return {
    words: head.slice(0, wordEnd),
    optionTokens: head.slice(wordEnd),
    propTokens: propStart < 0 ? undefined : argv.slice(propStart + 1),
  };
}

/** A command's options together with the global ones. */
export function withGlobalOptions(spec: OptionSpec = {}): Required<OptionSpec> {
  return {
    flags: [...GLOBAL_OPTIONS.flags, ...(spec.flags ?? [])],
    values: [...GLOBAL_OPTIONS.values, ...(spec.values ?? [])],
    short: { ...GLOBAL_OPTIONS.short, ...(spec.short ?? {}) },
  };
}

/** Whether an option token takes the next token as its value under `spec` (`--type Bug`, `-s status`). */
export function takesNextToken(token: string, spec: Required<OptionSpec>): boolean {
  if (token.startsWith('--')) return !token.includes('=') && spec.values.includes(token.slice(2));
  const short = token.slice(1);
  return short.length === 1 && spec.values.includes(spec.short[short] ?? '');
}

export type OptionValues = Record<string, string | boolean>;

/**
 * Splits grouped short options the getopt way, which yargs-parser does
 * not: in `-vssummary` each letter is a flag until one that takes a value,
 * which takes the rest of the token (`-v -s summary`).
 */
function splitShortGroups(tokens: string[], spec: Required<OptionSpec>): string[] {
  return tokens.flatMap((token) => {
    if (!/^-[A-Za-z][^=]+$/.test(token)) return [token];
    const out: string[] = [];
    for (let i = 1; i < token.length; i++) {
      const letter = token[i]!;
      out.push(`-${letter}`);
      if (spec.values.includes(spec.short[letter] ?? '')) {
        out.push(token.slice(i + 1));
        break;
      }
    }
    return out;
  });
}

/** Marks a token yargs-parser must take as a word: it reads a leading `-` as an option. */
const WORD_MARK = '\u0000';

/**
 * Whether a token of a query command is a negated query term rather than
 * options: `-status:closed`, `-"two words"`, `-summary~/x/` (no option
 * holds `:`, `~` or `"`), and `-crash`, whose first letter is no short
 * option. Options stay options: `-s summary` and `-ssummary` (a word
 * starting with a short option's letter is negated as a phrase, `'-"slow"'`),
 * a value after an option that takes one (`--sort -created`), and a long
 * option written with one dash (`-json`), which is refused as before.
 */
function isNegatedTerm(token: string, previous: string | undefined, spec: Required<OptionSpec>): boolean {
  if (!/^-[^-]/.test(token) || (previous !== undefined && takesNextToken(previous, spec))) return false;
  if (/[:~"]/.test(token)) return true;
  const name = token.slice(1).split('=')[0]!;
  return spec.short[token[1]!] === undefined && !spec.flags.includes(name) && !spec.values.includes(name);
}

export interface ParsedOptions {
  options: OptionValues;
  /** The words among the options, in order. */
  positionals: string[];
  /** Undeclared `--name VALUE` options, when the caller takes them as properties; in the order given. */
  undeclared: Array<[string, string | boolean]>;
}

/** Whether an empty value was typed on purpose (`--sort=`, `--sort ''`, `-s ''`) rather than left out. */
function givenEmpty(tokens: string[], name: string, shorts: string[]): boolean {
  const spellings = [`--${name}`, ...shorts.map((s) => `-${s}`)];
  return tokens.some((t, i) => t.startsWith(`--${name}=`) || (spellings.includes(t) && tokens[i + 1] === ''));
}

/**
 * Parses the tokens after the command's name with yargs-parser: options
 * (`--name`, `--name=value`, `--name value`, `-n value`, `-nvalue`) and
 * words in any order. An undeclared option is a usage error naming the
 * closest declared one, unless `keepUndeclared` asks for it back. With
 * `query`, negated query terms are words (isNegatedTerm).
 */
export function parseOptions(tokens: string[], commandSpec: OptionSpec, commandName: string, how: { keepUndeclared?: boolean; query?: boolean } = {}): ParsedOptions {
  const spec = withGlobalOptions(commandSpec);
  const alias: Record<string, string[]> = {};
  for (const [s, long] of Object.entries(spec.short)) (alias[long] ??= []).push(s);
  const marked = how.query ? tokens.map((t, i) => (isNegatedTerm(t, tokens[i - 1], spec) ? `${WORD_MARK}${t}` : t)) : tokens;
  const parsed = parser.detailed(splitShortGroups(marked, spec), {
    boolean: spec.flags,
    string: spec.values,
    alias,
    configuration: {
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'boolean-negation': false,
      'duplicate-arguments-array': false,
      'strip-aliased': true,
    },
  });
  if (parsed.error) throw new UsageError(parsed.error.message);
  const { _: positionals, ...rest } = parsed.argv;
  const known = new Set([...spec.flags, ...spec.values]);
  const options: OptionValues = {};
  const undeclared: Array<[string, string | boolean]> = [];
  for (const [name, value] of Object.entries(rest)) {
    const given = typeof value === 'boolean' ? value : String(value);
    if (!known.has(name)) {
      if (how.keepUndeclared && name.length > 1) {
        undeclared.push([name, given]);
        continue;
      }
      throw new UsageError(unknownOption(name, commandName, known));
    }
    // yargs-parser reports every declared boolean, given or not; keep only the given ones.
    if (value === false && spec.flags.includes(name)) continue;
    if (spec.values.includes(name) && (value === '' || value === undefined) && !givenEmpty(tokens, name, alias[name] ?? [])) {
      throw new UsageError(`--${name} needs a value: --${name} VALUE`);
    }
    options[name] = given;
  }
  return { options, positionals: positionals.map((p) => String(p).replace(WORD_MARK, '')), undeclared };
}

/** `unknown option --stauts for 'ticket update' (did you mean --status?)`. */
export function unknownOption(name: string, commandName: string, candidates: Iterable<string>): string {
  const dash = (n: string) => `${n.length === 1 ? '-' : '--'}${n}`;
  return `unknown option ${dash(name)} for '${commandName}'${didYouMean(name, candidates, dash)}`;
}

const COMPARATORS: Record<string, Comparator> = { '=': '=', '!=': '!=', '<>': '!=', ne: '!=', '=~': '=~', '!~': '!~' };
/** A comparator at the start of a token, longest first so `=~` is not read as `=`. */
const LEADING_COMPARATOR = /^(=~|!~|!=|<>|=)/;
/** `name CMP value` in one token; the name holds no comparator characters. */
const JOINED = /^([^=!<>~\s]+)(=~|!~|!=|<>|=)(.*)$/s;

/**
 * Parses property mode: `name=value`, `name value`, `name CMP value` and
 * `name CMPvalue`, with comparators `=`, `!=`, `<>`, `ne`, `=~`, `!~`
 * (`<>` and `ne` mean `!=`). Leading dashes on names are dropped, so
 * `--status new` works. Returns the properties in the order given.
 */
export function parseProps(tokens: string[]): Criterion[] {
  const out: Criterion[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.replace(/^-+/, '');
    const joined = JOINED.exec(token);
    if (joined) {
      out.push({ prop: joined[1]!, cmp: COMPARATORS[joined[2]!]!, value: joined[3]! });
      continue;
    }
    if (token === '' || /\s/.test(token) || LEADING_COMPARATOR.test(token)) {
      throw new UsageError(`'${tokens[i]}' is not a property name: write properties as name=value after '--'`);
    }
    const next = tokens[i + 1];
    if (next === undefined) {
      // `create -- a=b --json`: everything after `--` is a property, so an option there is a likely slip.
      if (tokens[i]!.startsWith('--') && GLOBAL_OPTIONS.flags.includes(token)) throw new UsageError(`'${tokens[i]}' after '--' is read as a property: put options before '--'`);
      throw new UsageError(`property '${token}' has no value: write ${token}=VALUE`);
    }
    const cmp = COMPARATORS[next];
    if (cmp) {
      const value = tokens[i + 2];
      if (value === undefined) throw new UsageError(`property '${token}' has no value after '${next}': write ${token} ${next} VALUE`);
      out.push({ prop: token, cmp, value });
      i += 2;
      continue;
    }
    const leading = LEADING_COMPARATOR.exec(next);
    if (leading) {
      out.push({ prop: token, cmp: COMPARATORS[leading[1]!]!, value: next.slice(leading[1]!.length) });
    } else {
      out.push({ prop: token, cmp: '=', value: next });
    }
    i += 1;
  }
  return out;
}

/** Properties for create and update: only `=`, and the last value given wins. */
export function propsToSet(criteria: Criterion[]): Record<string, string> {
  const props: Record<string, string> = {};
  for (const c of criteria) {
    if (c.cmp !== '=') throw new UsageError(`'${c.prop} ${c.cmp} ${c.value}' compares; to set a property write ${c.prop}=VALUE`);
    const problem = propertyNameProblem(c.prop);
    if (problem) throw new UsageError(problem);
    // Defined, not assigned: `__proto__` must not slip through as the object's prototype before the check downstream sees it.
    Object.defineProperty(props, c.prop, { value: c.value, enumerable: true, writable: true, configurable: true });
  }
  return props;
}
