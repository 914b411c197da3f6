/**
 * Asking the user to settle a conflict on the terminal: the record, each
 * disagreeing property with its candidates (whose side each is on), and
 * what peers decided before. Drawn on stderr so stdout keeps the report.
 */
import { createInterface, type Interface } from 'node:readline';
import { choicesOf, type Side, type Value } from '../sync/conflict.js';
import { oneLineText } from './summary-format.js';
import { showTime } from './time-format.js';
import type { ConflictPrompt, PromptQuestion } from '../sync/integrate.js';

/** Whose a value is, from where the user sits: the replica they pull into is theirs. */
const SIDE_NAMES: Record<Side, string> = { target: 'local', source: 'incoming' };

function show(v: Value): string {
  return v === null ? '(unset)' : JSON.stringify(v);
}

/** What a record is called besides its id: its summary, title or name when it has one. */
function recordTitle(props: Record<string, string>): string {
  const title = props.summary ?? props.title ?? props.name;
  return title === undefined ? '' : ` "${oneLineText(title)}"`;
}

/** The text shown for one question, before the per-property choices. */
export function describeQuestion(q: PromptQuestion): string {
  const lines = [`Conflict on ${q.conflict.record_type} ${q.luid}${recordTitle(q.record)} (${q.conflict.record_uuid})`];
  if (q.votes.length) {
    lines.push('Peers decided before:');
    for (const v of q.votes) lines.push(`  ${v.creator ?? v.resolver}: ${Object.entries(v.values).map(([k, x]) => `${k}=${show(x)}`).join(', ')}`);
  }
  return lines.join('\n');
}

/** A conversation on the terminal for one merge: its prompt, and `close` once the merge is over. */
export interface PromptSession {
  prompt: ConflictPrompt;
  close(): void;
}

/**
 * One line reader for the whole merge, opened at the first question:
 * lines typed (or pasted) ahead of a question are queued for it, not lost
 * between questions. An empty answer asks again; `q` or the end of input
 * gives up.
 */
export function terminalPrompt(input: NodeJS.ReadableStream, output: { write(text: string): unknown }): PromptSession {
  let rl: Interface | undefined;
  const lines: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let ended = false;
  const nextLine = (): Promise<string | undefined> => {
    if (!rl) {
      rl = createInterface({ input, terminal: false });
      rl.on('line', (line) => (waiting ? waiting(line) : lines.push(line)));
      rl.on('close', () => {
        ended = true;
        waiting?.(undefined);
      });
    }
    if (lines.length) return Promise.resolve(lines.shift());
    if (ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      waiting = (line) => {
        waiting = undefined;
        resolve(line);
      };
    });
  };

  const prompt: ConflictPrompt = async (q) => {
    output.write(`${describeQuestion(q)}\n`);
    const values: Record<string, Value> = {};
    for (const p of q.conflict.props) {
      const choices = choicesOf(p.heads);
      output.write(`Property '${p.name}':\n`);
      choices.forEach((c, i) => {
        const writes = p.heads.filter((h) => h.value === c).map((h) => `${SIDE_NAMES[h.side]}: ${q.authors[h.id] ?? 'unknown'}, ${showTime(h.created)}`);
        output.write(`  ${i + 1}) ${show(c)}  (${[...new Set(writes)].join('; ')})\n`);
      });
      for (;;) {
        output.write(`Keep which value for '${p.name}'? [1-${choices.length}, q to give up] `);
        const answer = (await nextLine())?.trim();
        if (answer === undefined || answer === 'q') return undefined;
        const n = Number(answer);
        if (answer !== '' && Number.isInteger(n) && n >= 1 && n <= choices.length) {
          values[p.name] = choices[n - 1]!;
          break;
        }
      }
    }
    return values;
  };
  return { prompt, close: () => rl?.close() };
}
