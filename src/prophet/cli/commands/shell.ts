/**
 * `shell`: the program's commands typed one after another at a prompt, with
 * line editing, tab completion and a history kept across sessions
 * (node:readline), as the original SD's shell had.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from '../command.js';
import { completions } from '../completion.js';
import type { CliIo } from '../context.js';
import { UsageError } from '../errors.js';
import { runCli } from '../run.js';
import { shellWords } from '../shell-words.js';

const HISTORY_SIZE = 1000;
const QUIT = new Set(['exit', 'quit', 'q']);

function historyFile(name: string, env: NodeJS.ProcessEnv): string {
  return join(env.HOME ?? homedir(), `.${name}_history`);
}

/** The saved history, newest first as readline wants it. */
function loadHistory(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
}

/** The words of a partial line for completion: a trailing space starts a new, empty word. */
function partialWords(line: string): string[] {
  try {
    const words = shellWords(line);
    return /\s$/.test(line) || line === '' ? [...words, ''] : words;
  } catch {
    return [];
  }
}

export const shellCommand: Command = {
  names: ['shell'],
  summary: 'Type commands at a prompt, with line editing, completion and history',
  usage: ['shell'],
  async run(ctx) {
    ctx.noMoreWords();
    const { app } = ctx;
    const file = historyFile(app.name, ctx.env);
    const io: CliIo = { ...ctx.io, stdin: process.stdin };
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      prompt: `${app.name}> `,
      history: loadHistory(file),
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      completer: (line: string) => {
        const words = partialWords(line);
        const current = words.at(-1) ?? '';
        return [words.length ? completions(app, words, io) : [], current];
      },
    });
    if (process.stdin.isTTY) ctx.out(`${app.name} ${app.version}: type a command without '${app.name}', 'help' for the list, 'exit' or ctrl-d to leave.`);
    rl.prompt();
    for await (const line of rl) {
      const text = line.trim();
      if (QUIT.has(text)) break;
      if (text) {
        appendFileSync(file, `${text}\n`, { mode: 0o600 });
        let words: string[] | undefined;
        try {
          words = shellWords(text);
        } catch (err) {
          ctx.err(`${app.name}: ${err instanceof UsageError ? err.message : String(err)}`);
        }
        if (words?.[0] === 'shell') ctx.err(`${app.name}: already in the shell`);
        else if (words) {
          // A command may run an editor or ask a question: give it the terminal as a plain one meanwhile.
          rl.pause();
          if (process.stdin.isTTY) process.stdin.setRawMode(false);
          await runCli(app, words, io);
          if (process.stdin.isTTY) process.stdin.setRawMode(true);
          rl.resume();
        }
      }
      rl.prompt();
    }
    rl.close();
  },
};
