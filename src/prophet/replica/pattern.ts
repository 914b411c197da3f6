import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { ProphetError } from '../model/errors.js';

/**
 * Regular expressions from users (search criteria, `--regex`, the
 * server's `?prop~=re`) run on RE2 (the `re2js` port), whose time is
 * linear in the input: a pattern like `(.*){10}X`, which makes a
 * backtracking engine run for minutes, cannot stall a search, and the
 * server in particular. The syntax is JavaScript's, translated to RE2's;
 * what RE2 cannot run in linear time (look-around, backreferences) is
 * refused with one line.
 */
export type ValueTest = (value: string) => boolean;

/**
 * RE2's own measure of a pattern's cost. Matching time grows with it, so
 * a pattern repeated a thousandfold is refused rather than left to scan a
 * large replica slowly; ordinary searches stay far below this.
 */
export const MAX_PATTERN_COST = 2000;

let engine: typeof RE2JS | undefined;

/** Loaded on first use: most commands never match a pattern, and loading the engine would cost each of them start-up time. */
function re2(): typeof RE2JS {
  engine ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS;
  return engine;
}

/** Compiles `source`, named `what` in messages (`the pattern for 'summary'`), into a test for "matches somewhere in the value". */
export function compilePattern(source: string, what: string): ValueTest {
  const Engine = re2();
  const problem = (why: string) => new ProphetError(`${what} '${source}' ${why}`);
  let compiled: RE2JS;
  try {
    compiled = Engine.compile(Engine.translateRegExp(source));
  } catch (err) {
    const why = (err as Error).message.replace(/^error parsing regexp: /, '');
    throw problem(`is not a valid regular expression: ${why} (look-around and backreferences are not supported)`);
  }
  if (compiled.programSize() > MAX_PATTERN_COST) throw problem('is too complex to match (it repeats too much); simplify it');
  // test() only asks whether there is a match, which lets RE2 use its DFA: no capture groups are tracked.
  return (value) => compiled.test(value);
}
