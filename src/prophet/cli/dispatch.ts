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
