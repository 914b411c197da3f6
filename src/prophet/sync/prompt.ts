/**
 * Asking the user to settle a conflict on the terminal: the record, each
 * disagreeing property with its candidates (whose side each is on), and
 * what peers decided before. Drawn on stderr so stdout keeps the report.
 */
import { createInterface } from 'node:readline/promises';
import { choicesOf, type Value } from './conflict.js';
import type { PromptQuestion } from './integrate.js';

function show(v: Value): string {
  return v === null ? '(unset)' : JSON.stringify(v);
}

/** The text shown for one question, before the per-property choices. */
export function describeQuestion(q: PromptQuestion): string {
  const lines = [`Conflict on ${q.conflict.record_type} ${q.conflict.record_uuid} (fingerprint ${q.conflict.fingerprint.slice(0, 12)})`];
  for (const [name, value] of Object.entries(q.record)) lines.push(`  ${name}: ${value}`);
  if (q.votes.length) {
    lines.push('Peers decided before:');
    for (const v of q.votes) lines.push(`  ${v.creator ?? v.resolver}: ${Object.entries(v.values).map(([k, x]) => `${k}=${show(x)}`).join(', ')}`);
  }
  return lines.join('\n');
}

export async function terminalPrompt(q: PromptQuestion): Promise<Record<string, Value> | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(`${describeQuestion(q)}\n`);
    const values: Record<string, Value> = {};
    for (const p of q.conflict.props) {
      const choices = choicesOf(p.heads);
      process.stderr.write(`Property '${p.name}':\n`);
      choices.forEach((c, i) => {
        const sides = [...new Set(p.heads.filter((h) => h.value === c).map((h) => h.side))].join(', ');
        process.stderr.write(`  ${i + 1}) ${show(c)}  [${sides}]\n`);
      });
      for (;;) {
        // End of input gives up, like q.
        const answer = (await rl.question(`Keep which value for '${p.name}'? [1-${choices.length}, q to give up] `).catch(() => '')).trim();
        if (answer === 'q' || answer === '') return undefined;
        const n = Number(answer);
        if (Number.isInteger(n) && n >= 1 && n <= choices.length) {
          values[p.name] = choices[n - 1]!;
          break;
        }
      }
    }
    return values;
  } finally {
    rl.close();
  }
}
