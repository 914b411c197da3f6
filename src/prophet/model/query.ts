/**
 * The query language (docs/search.md), parsed into terms with no I/O: one
 * parser for `prophet search --query`, `sd ticket search`, `sd ticket list`
 * and the REST API's `?q=`. Hand-written recursive descent: the grammar is
 * the project's own and small, and a hand-written parser says exactly
 * where a query is wrong and what it expected there.
 *
 *   query  := term*                       terms are separated by spaces and all must hold
 *   term   := '-'? ( phrase | prop | word )
 *   phrase := '"' text '"'                 full text, words in this order
 *   word   := any run of non-spaces        full text; `word*` matches words starting so
 *   prop   := NAME ':' values              the property holds one of the values
 *           | NAME ':' CMP value           CMP is < <= > >=: numbers, dates, ages (7d)
 *           | NAME '~' '/' regex '/' 'i'?  the property matches the regular expression
 *           | 'sort:' '-'? NAME | 'limit:' DIGITS
 *   values := value (',' value)*           value: a quoted string or a run of non-spaces but ','
 */
import { ProphetError } from './errors.js';
import { propertyNameProblem } from './property-names.js';

export type CompareOp = '<' | '<=' | '>' | '>=';

interface TermBase {
  /** `-term`: the term must not hold. */
  negated: boolean;
  /** 1-based column where the term starts, for messages. */
  column: number;
}

/** Free words and phrases, matched through the full-text index. */
export interface TextTerm extends TermBase {
  kind: 'text';
  text: string;
  phrase: boolean;
  /** `word*`: words starting with `text`. */
  prefix: boolean;
}

/** `prop:a,b` (op ':') or `prop:>=v`. */
export interface PropTerm extends TermBase {
  kind: 'prop';
  prop: string;
  op: ':' | CompareOp;
  values: string[];
}

export interface RegexTerm extends TermBase {
  kind: 'regex';
  prop: string;
  /** JavaScript syntax; `/i` becomes a leading `(?i)`. */
  pattern: string;
}

export type QueryTerm = TextTerm | PropTerm | RegexTerm;

export interface QuerySort {
  /** A property name, or `relevance`. */
  prop: string;
  descending: boolean;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  sort?: QuerySort;
  limit?: number;
}

/** A malformed query: one line naming the column and what was expected there. */
export class QueryError extends ProphetError {
  constructor(query: string, column: number, expected: string) {
    super(`bad query ${JSON.stringify(query)} at column ${column}: ${expected}`, 'usage');
    this.name = 'QueryError';
  }
}

const SPACE = /\s/;
const NAME = /[A-Za-z_][\w.-]*/y;
const CMP = /<=|>=|<|>/y;
/** The forms a comparison value may take, checked here so a typo is refused before anything runs. */
const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$/;
const AGE = /^(\d+)([hdwy])$/;

class Parser {
  private pos = 0;
  private readonly terms: QueryTerm[] = [];
  private sort?: QuerySort;
  private limit?: number;

  constructor(private readonly text: string) {}

  parse(): ParsedQuery {
    for (;;) {
      while (this.pos < this.text.length && SPACE.test(this.text[this.pos]!)) this.pos++;
      if (this.pos >= this.text.length) break;
      this.term();
    }
    return { terms: this.terms, ...(this.sort ? { sort: this.sort } : {}), ...(this.limit !== undefined ? { limit: this.limit } : {}) };
  }

  private fail(expected: string, at = this.pos): never {
    throw new QueryError(this.text, at + 1, expected);
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length || SPACE.test(this.text[this.pos]!);
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** A term ends at a space or the end: `status:open"x"` is refused rather than read two ways. */
  private endOfTerm(what: string): void {
    if (!this.atEnd()) this.fail(`expected a space after ${what}`);
  }

  private term(): void {
    const start = this.pos;
    const negated = this.peek() === '-';
    if (negated) {
      this.pos++;
      if (this.atEnd()) this.fail(`expected a word, a "phrase" or prop:value after '-'`);
    }
    const column = start + 1;
    if (this.peek() === '"') {
      const text = this.quoted();
      this.endOfTerm('the closing "');
      this.terms.push({ kind: 'text', text, phrase: true, prefix: false, negated, column });
      return;
    }
    const nameStart = this.pos;
    const name = this.match(NAME);
    const sep = this.peek();
    if (name !== undefined && (sep === ':' || sep === '~')) {
      this.pos++;
      const problem = propertyNameProblem(name);
      if (problem) this.fail(problem, nameStart);
      if (sep === '~') return this.regex(name, negated, column);
      if (name === 'sort' || name === 'limit') {
        if (negated) this.fail(`expected no '-' before ${name}:`, start);
        return name === 'sort' ? this.sortTerm() : this.limitTerm();
      }
      return this.prop(name, negated, column);
    }
    this.pos = nameStart;
    const wordStart = this.pos;
    while (!this.atEnd()) this.pos++;
    let word = this.text.slice(wordStart, this.pos);
    const prefix = word.endsWith('*');
    if (prefix) word = word.slice(0, -1);
    if (word === '' || word.includes('*')) this.fail(`expected letters or digits before '*' (a '*' ends a word to match words starting so)`, wordStart);
    this.terms.push({ kind: 'text', text: word, phrase: false, prefix, negated, column });
  }

  /** A "quoted string" at pos; `\"` and `\\` stand for themselves. */
  private quoted(): string {
    const open = this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === '"') return out;
      if (c === '\\' && (this.peek() === '"' || this.peek() === '\\')) out += this.text[this.pos++];
      else out += c;
    }
    return this.fail('expected a closing " for the quote opened here', open);
  }

  private value(after: string): string {
    if (this.peek() === '"') {
      const open = this.pos;
      const v = this.quoted();
      if (v === '') this.fail(`expected a non-empty value after ${after} (to find records without the property, use -prop:...)`, open);
      return v;
    }
    const start = this.pos;
    while (!this.atEnd() && this.peek() !== ',' && this.peek() !== '"') this.pos++;
    if (this.pos === start) this.fail(`expected a value after ${after}`);
    return this.text.slice(start, this.pos);
  }

  private prop(prop: string, negated: boolean, column: number): void {
    const op = this.match(CMP) as CompareOp | undefined;
    if (op) {
      const valueAt = this.pos;
      const value = this.value(`'${prop}:${op}'`);
      if (!NUMBER.test(value) && !DATE.test(value) && !AGE.test(value)) {
        this.fail(`expected a number, a date (2027-01-31) or an age (7d, 12h, 2w, 1y) after '${prop}:${op}'`, valueAt);
      }
      this.endOfTerm(`'${prop}:${op}${value}'`);
      this.terms.push({ kind: 'prop', prop, op, values: [value], negated, column });
      return;
    }
    const values = [this.value(`'${prop}:'`)];
    while (this.peek() === ',') {
      this.pos++;
      values.push(this.value(`',' in '${prop}:'`));
    }
    this.endOfTerm(`the value of '${prop}:'`);
    this.terms.push({ kind: 'prop', prop, op: ':', values, negated, column });
  }

  private regex(prop: string, negated: boolean, column: number): void {
    if (this.peek() !== '/') this.fail(`expected /regular expression/ after '${prop}~'`);
    const open = this.pos++;
    let pattern = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('expected a closing / for the regular expression opened here', open);
      const c = this.text[this.pos++]!;
      if (c === '/') break;
      if (c === '\\' && this.peek() === '/') {
        pattern += '/';
        this.pos++;
      } else {
        pattern += c;
        if (c === '\\' && this.pos < this.text.length) pattern += this.text[this.pos++];
      }
    }
    if (pattern === '') this.fail(`expected a regular expression between the slashes after '${prop}~'`, open);
    if (this.peek() === 'i') {
      this.pos++;
      pattern = `(?i)${pattern}`;
    }
    this.endOfTerm(`the closing / (the only flag is i)`);
    this.terms.push({ kind: 'regex', prop, pattern, negated, column });
  }

  private sortTerm(): void {
    const descending = this.peek() === '-';
    if (descending) this.pos++;
    const prop = this.match(NAME);
    if (prop === undefined) this.fail(`expected a property name after 'sort:' (sort:created, sort:-created, sort:relevance)`);
    this.endOfTerm(`'sort:${descending ? '-' : ''}${prop}'`);
    this.sort = { prop, descending };
  }

  private limitTerm(): void {
    const digits = this.match(/\d+/y);
    if (digits === undefined) this.fail(`expected a number after 'limit:'`);
    this.endOfTerm(`'limit:${digits}'`);
    this.limit = Number(digits);
  }
}

/** Parses a query, throwing a QueryError that names the column and what was expected there. */
export function parseQuery(text: string): ParsedQuery {
  return new Parser(text).parse();
}

/** How many milliseconds one unit of an age is: `7d`, `12h`, `2w`, `1y`. */
const AGE_UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };

/**
 * Milliseconds since the epoch of a stored time: `YYYY-MM-DD`, with
 * ` HH:MM[:SS]` or ISO `T...`; without a zone it is UTC, as Prophet and
 * SD store times.
 */
export function timeOf(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(.*)$/.exec(text);
  if (!m) return undefined;
  const zone = m[3]!.trim();
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${zone === '' ? 'Z' : zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The time a comparison's value stands for (an age counts back from `now`); undefined for a number. */
function comparisonTime(given: string, now: number): number | undefined {
  if (NUMBER.test(given)) return undefined;
  const age = AGE.exec(given);
  return age ? now - Number(age[1]) * AGE_UNIT_MS[age[2]!]! : timeOf(given);
}

/**
 * A comparison's test for a stored value: numbers compare as numbers, dates
 * and ages (`7d`: seven days before `now`) as times; a stored value of
 * another form does not match.
 */
export function comparison(op: CompareOp, given: string, now: number): (stored: string) => boolean {
  const holds = (a: number, b: number) => (op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b);
  if (NUMBER.test(given)) {
    const n = Number(given);
    return (stored) => NUMBER.test(stored.trim()) && holds(Number(stored), n);
  }
  const t = comparisonTime(given, now)!;
  return (stored) => {
    const s = timeOf(stored);
    return s !== undefined && holds(s, t);
  };
}

/** More than any time zone is from UTC, and a day, in ms. */
const MAX_ZONE_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * For a comparison with a time, bounds in text order that every stored value
 * it can hold lies within: a time is written from its date on (`timeOf`),
 * in a zone less than a day from UTC (as Date.parse reads zones), so its date is within a day of the
 * UTC one. Lets an index narrow; the comparison itself still decides.
 * Undefined for numbers, and for times whose year is not four digits.
 */
export function timeBounds(op: CompareOp, given: string, now: number): { from?: string; below?: string } | undefined {
  const t = comparisonTime(given, now);
  if (t === undefined) return undefined;
  const date = (ms: number) => {
    const iso = new Date(ms).toISOString();
    return /^\d{4}-/.test(iso) ? iso.slice(0, 10) : undefined;
  };
  const bound = op === '>' || op === '>=' ? { from: date(t - MAX_ZONE_MS) } : { below: date(t + MAX_ZONE_MS + DAY_MS) };
  return Object.values(bound)[0] === undefined ? undefined : bound;
}

/** A value as the query language writes it: bare when it can be, else quoted. */
export function queryValue(value: string): string {
  return /^[^\s,"]+$/.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
