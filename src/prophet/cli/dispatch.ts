import { isOptionToken, takesNextToken, withGlobalOptions } from './args.js';
import type { CliApp, Command } from './command.js';

export interface Dispatch {
  command: Command;
  invokedAs: string;
  typeWord?: string;
  rest: string[];
}

/** The command named by the longest run of leading words, at `start`. */
function matchCommand(app: CliApp, words: string[], start: number): Omit<Dispatch, 'typeWord'> | undefined {
  let best: Omit<Dispatch, 'typeWord'> | undefined;
  let bestLength = 0;
  for (const command of app.commands) {
    for (const name of command.names) {
      const parts = name.split(' ');
      if (parts.length <= bestLength || !parts.every((p, i) => words[start + i] === p)) continue;
      best = { command, invokedAs: name, rest: words.slice(start + parts.length) };
      bestLength = parts.length;
    }
  }
  return best;
}

/** Finds the command; `<type> <command>` (e.g. `Bug show 3`) gives the type as a word. */
export function dispatch(app: CliApp, words: string[]): Dispatch | undefined {
  const direct = matchCommand(app, words, 0);
  if (direct) return direct;
  const typed = words.length > 1 ? matchCommand(app, words, 1) : undefined;
  return typed && { ...typed, typeWord: words[0] };
}

/** Where the command sits in a command line whose words and options come in any order. */
export interface Located {
  /** Every word, options and their values left out. */
  words: string[];
  found?: Dispatch;
  /** The tokens without the command's name (and its type word): options and the words after the name. */
  tokens: string[];
}

/**
 * Finds the command among tokens where options may come before, between
 * or after its words (`ticket --json show 4`). An option's value is
 * skipped as a word when the command matched so far (or the global
 * options) says the option takes one.
 */
export function locateCommand(app: CliApp, tokens: string[]): Located {
  const positions: number[] = [];
  const wordsSoFar = () => positions.map((p) => tokens[p]!);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isOptionToken(token)) {
      positions.push(i);
      continue;
    }
    if (takesNextToken(token, withGlobalOptions(dispatch(app, wordsSoFar())?.command.options))) i++;
  }
  const words = wordsSoFar();
  const found = dispatch(app, words);
  if (!found) return { words, tokens };
  const nameLength = words.length - found.rest.length;
  const dropped = new Set(positions.slice(0, nameLength));
  return { words, found, tokens: tokens.filter((_, i) => !dropped.has(i)) };
}
