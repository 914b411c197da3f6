import { ValidationError } from '../model/errors.js';
import type { PropTerm, QueryTerm } from '../model/query.js';
import type { Properties, RecordState } from '../model/types.js';
import type { Replica } from './replica.js';

/** What an app's query word means: terms that must all hold, or a test of a record. */
export type QueryExpansion = QueryTerm[] | ((record: RecordState) => boolean);

/**
 * A query word of a record type (`is:active`, `owner:me`), given the parsed
 * term (its values, without its negation, which the caller applies).
 * Returning undefined leaves the term an ordinary property condition.
 */
export type QueryWord = (term: PropTerm, replica: Replica) => QueryExpansion | undefined;

export interface HookContext {
  /** The replica being written: for settings and for looking up other records. */
  replica: Replica;
  type: string;
  /** The record's properties as they will be after the change. */
  props: Properties;
  op: 'create' | 'update';
  uuid?: string;
}

/**
 * What an application tells Prophet about one record type. Every hook is
 * optional; a type with no definition accepts any properties.
 */
export interface RecordTypeDefinition {
  type: string;
  /** Properties always canonicalized and validated, even when absent. */
  declaredProps?: string[];
  /** Fill a property at create when no value was given. */
  defaults?: Record<string, (ctx: HookContext) => string | undefined>;
  /** Rewrite a value into its stored form; may throw a message via returning an error. */
  canonicalize?: Record<string, (value: string | undefined, ctx: HookContext) => string | undefined>;
  /** Return an error message, or undefined when the value is acceptable. */
  validate?: Record<string, (value: string | undefined, ctx: HookContext) => string | undefined>;
  /** The allowed values of a property; a value ending in `!` bypasses the check. */
  recommendedValues?: Record<string, (ctx: HookContext) => string[] | undefined>;
  /** The query language's words for this type, by the name before the colon: `{ is: ..., owner: ... }`. */
  queryWords?: Record<string, QueryWord>;
  /**
   * Records of other types whose text counts as this type's in full-text
   * searches, through the property naming one of this type's records: a
   * ticket is found by the words of its comments.
   */
  textFrom?: Array<{ type: string; prop: string }>;
}

/**
 * A value ending in `!` asks to skip the list check; the `!` is not stored.
 * Only properties with a list are affected, so free text ("It crashes!") keeps its `!`.
 */
function stripBypass(props: Record<string, string | null>, def: RecordTypeDefinition): Set<string> {
  const bypass = new Set<string>();
  for (const [name, value] of Object.entries(props)) {
    if (!def.recommendedValues?.[name]) continue;
    if (value !== null && value.length > 1 && value.endsWith('!')) {
      props[name] = value.slice(0, -1);
      bypass.add(name);
    }
  }
  return bypass;
}

/**
 * The create/update pipeline: defaults (create only), canonicalization and
 * validation. `changes` maps a property to its new value (null: remove);
 * `current` is the record before the change. Returns the changes to write.
 */
export function prepareChanges(
  replica: Replica,
  def: RecordTypeDefinition | undefined,
  op: 'create' | 'update',
  type: string,
  current: Properties,
  changes: Record<string, string | null>,
  uuid?: string,
): Record<string, string | null> {
  const next: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(changes)) next[k] = v === '' ? null : v;
  if (!def) return next;
  const bypass = stripBypass(next, def);
  const ctx = (): HookContext => {
    const props: Properties = { ...current };
    for (const [k, v] of Object.entries(next)) {
      if (v === null) delete props[k];
      else props[k] = v;
    }
    return { replica, type, props, op, uuid };
  };
  if (op === 'create') {
    for (const [name, fn] of Object.entries(def.defaults ?? {})) {
      if (next[name] === undefined || next[name] === null) {
        const value = fn(ctx());
        if (value !== undefined && value !== '') next[name] = value;
      }
    }
  }
  const touched = new Set([...Object.keys(next), ...(def.declaredProps ?? [])]);
  for (const name of touched) {
    const fn = def.canonicalize?.[name];
    if (!fn) continue;
    const before = name in next ? next[name] : current[name];
    const after = fn(before ?? undefined, ctx());
    if ((after ?? null) !== (before ?? null)) next[name] = after === undefined || after === '' ? null : after;
  }
  const errors: Record<string, string> = {};
  const final = ctx();
  for (const name of touched) {
    const value = final.props[name];
    const allowed = def.recommendedValues?.[name]?.(final);
    if (allowed && value !== undefined && !bypass.has(name) && !allowed.includes(value)) {
      errors[name] = `'${value}' is not one of ${allowed.map((a) => `'${a}'`).join(', ')} (end the value with ! to use it anyway)`;
      continue;
    }
    const message = def.validate?.[name]?.(value, final);
    if (message) errors[name] = message;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return next;
}
