import { propertyNameProblem } from '../model/property-names.js';
import { Parser } from 'yargs/helpers';
import type { Comparator, Criterion } from '../replica/search.js';
import type { OptionSpec } from './command.js';
import { UsageError } from './errors.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Required<OptionSpec> = {
  flags: ['json', 'debug', 'help'],
  values: ['repo'],
  short: { h: 'help' },
};

/**
 * A command line cut into its three parts (reference §5.1): leading words
 * (the command, its type and id), option tokens, and the tokens after `--`
 * or `--props`, which are properties.
 */
export interface SplitArgv {
  words: string[];
  optionTokens: string[];
  propTokens: string[] | undefined;
}

/**
 * Moves global options typed before the command (`prophet --repo DIR log`)
 * to just after its words, where the grammar expects options, so they work
 * in either place.
 */
export function hoistGlobalOptions(argv: string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i]!;
    const name = /^--?([^=]+)/.exec(token)?.[1];
    if (name === undefined) break;
    const long = GLOBAL_OPTIONS.short[name] ?? name;
    if (GLOBAL_OPTIONS.flags.includes(long)) leading.push(token);
    else if (GLOBAL_OPTIONS.values.includes(long) && token.startsWith('--')) {
      leading.push(token);
      if (!token.includes('=') && i + 1 < argv.length) leading.push(argv[++i]!);
    } else break;
  }
  if (!leading.length) return argv;
  const rest = argv.slice(i);
  const wordEnd = rest.findIndex((t) => t.startsWith('-') && t !== '-');
  const at = wordEnd < 0 ? rest.length : wordEnd;
  return [...rest.slice(0, at), ...leading, ...rest.slice(at)];
}

export function splitArgv(argv: string[]): SplitArgv {
  const propStart = argv.findIndex((t) => t === '--' || t === '--props');
  const head = propStart < 0 ? argv : argv.slice(0, propStart);
  const firstOption = head.findIndex((t) => t.startsWith('-') && t !== '-');
  const wordEnd = firstOption < 0 ? head.length : firstOption;
  return {
    words: head.slice(0, wordEnd),
    optionTokens: head.slice(wordEnd),
    propTokens: propStart < 0 ? undefined : argv.slice(propStart + 1),
  };
}

export type OptionValues = Record<string, string | boolean>;

/** Whether an empty value was typed on purpose (`--sort=`, `--sort ''`, `-s ''`) rather than left out. */
function givenEmpty(tokens: string[], name: string, shorts: string[]): boolean {
  const spellings = [`--${name}`, ...shorts.map((s) => `-${s}`)];
  return tokens.some((t, i) => t.startsWith(`--${name}=`) || (spellings.includes(t) && tokens[i + 1] === ''));
}

/**
 * Parses option tokens with yargs-parser: `--name`, `--name=value`,
 * `--name value`, short forms. Options the command does not declare and
 * words that belong to no option are usage errors.
 */
export function parseOptions(tokens: string[], spec: OptionSpec, commandName: string): OptionValues {
  const flags = [...GLOBAL_OPTIONS.flags, ...(spec.flags ?? [])];
  const values = [...GLOBAL_OPTIONS.values, ...(spec.values ?? [])];
  const short = { ...GLOBAL_OPTIONS.short, ...(spec.short ?? {}) };
  const alias: Record<string, string[]> = {};
  for (const [s, long] of Object.entries(short)) (alias[long] ??= []).push(s);
  const parsed = Parser.detailed(tokens, {
    boolean: flags,
    string: values,
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
  const { _: stray, ...rest } = parsed.argv;
  if (stray.length) {
    throw new UsageError(`'${String(stray[0])}' doesn't look like --argument: put words right after '${commandName}' and property values after '--'`);
  }
  const known = new Set([...flags, ...values]);
  const out: OptionValues = {};
  for (const [name, value] of Object.entries(rest)) {
    if (!known.has(name)) throw new UsageError(`'${commandName}' has no option ${name.length === 1 ? '-' : '--'}${name}`);
    // yargs-parser reports every declared boolean, given or not; keep only the given ones.
    if (value === false && flags.includes(name)) continue;
    if (values.includes(name) && (value === '' || value === undefined) && !givenEmpty(tokens, name, alias[name] ?? [])) {
      throw new UsageError(`--${name} needs a value: --${name} VALUE`);
    }
    out[name] = typeof value === 'boolean' ? value : String(value);
  }
  return out;
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
