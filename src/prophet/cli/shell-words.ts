import { UsageError } from './errors.js';

/**
 * Splits a command line the way a POSIX shell would for plain words:
 * single and double quotes group, a backslash escapes the next character.
 * Used for alias expansions, which are stored as one string.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word = (word ?? '') + text[++i];
      else word = (word ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new UsageError(`unclosed ${quote} in '${text}'`);
  if (word !== undefined) words.push(word);
  return words;
}

/** Quotes a word so that shellWords reads it back as one word. */
export function quoteWord(word: string): string {
  return word !== '' && /^[A-Za-z0-9_@%+=:,./~^-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
