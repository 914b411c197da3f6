import { parseQuery } from '../model/query.js';
import { UsageError } from './errors.js';
import type { Context } from './context.js';

/** Saved searches live in the configuration as `search.NAME = QUERY` (`[search] mine = owner:me is:active`). */
export const SAVED_SEARCH_PREFIX = 'search.';

/** The options every search command takes for queries: the query itself, a saved one, and saving one. */
export const QUERY_OPTIONS = ['query', 'saved', 'save'];

/**
 * The query a search command was given: `--query Q`, its words joined by
 * spaces (`sd ticket search login status:open`), and `--saved NAME` (a
 * saved search) AND-ed together. `--save NAME` stores the words and
 * `--query` under NAME in the replica's config first (checked by parsing,
 * so a saved search is never malformed).
 */
export function commandQuery(ctx: Context, words: readonly string[] = ctx.words): string {
  const typed = [ctx.option('query'), ...words].filter((w): w is string => w !== undefined && w !== '').join(' ');
  const saveAs = ctx.option('save');
  if (saveAs !== undefined) {
    if (!/^[A-Za-z][\w-]*$/.test(saveAs)) throw new UsageError(`'${saveAs}' cannot name a saved search: use letters, digits, '-' and '_', starting with a letter`);
    if (typed === '') throw new UsageError(`--save ${saveAs} needs a query to save`);
    parseQuery(typed);
    ctx.replica().config.set(`${SAVED_SEARCH_PREFIX}${saveAs}`, typed);
    ctx.err(`Saved search '${saveAs}': ${typed}`);
  }
  const savedName = ctx.option('saved');
  if (savedName === undefined) return typed;
  const saved = ctx.replica().config.get(`${SAVED_SEARCH_PREFIX}${savedName}`);
  if (saved === undefined) {
    const known = ctx.replica().config.withPrefix(SAVED_SEARCH_PREFIX).map(([name]) => name);
    throw new UsageError(`no saved search '${savedName}' (${known.length ? `saved: ${known.join(', ')}` : 'none saved yet'}); save one with --save ${savedName} QUERY`);
  }
  return [saved, typed].filter((q) => q !== '').join(' ');
}
