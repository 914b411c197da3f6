/**
 * SD's benchmark: whole `sd` commands as child processes (node start,
 * imports, query, output) over an SD-shaped dataset of 50,000 tickets.
 * Run: npm run build && npx vite-node bench/sd.ts  (BENCH_SD_TICKETS, BENCH_SD_DIR)
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandTime, time } from './measure.js';
import { writeResults } from './results.js';
import { generateSdDataset, type SdDataset } from './sd-dataset.js';

const TICKETS = Number(process.env.BENCH_SD_TICKETS ?? 50_000);
const DIR = process.env.BENCH_SD_DIR ?? join(tmpdir(), `sd-bench-${TICKETS}`);
const RUNS = 9;
const SD = join(import.meta.dirname, '..', 'bin', 'sd.js');

/** Median wall time of a command line, and its output of the last run. */
function command(data: SdDataset, argv: string[]): { ms: number; lines: number } {
  return commandTime(argv, { ...data.env, SD_REPO: data.root }, RUNS);
}

mkdirSync(DIR, { recursive: true });
const made = time(() => generateSdDataset(join(DIR, 'replica'), { tickets: TICKETS }));
const data = made.value;
console.log(`dataset: ${data.tickets} tickets, ${data.comments} comments, ${data.attachments} attachments (${(made.ms / 1000).toFixed(1)} s)`);

const row = (label: string, argv: string[]): [string, string] => {
  const r = command(data, argv);
  console.log(label, r);
  return [label, `${r.ms.toFixed(0)} ms (${r.lines} lines)`];
};

writeResults('sd', `SD: whole commands over ${TICKETS.toLocaleString('en')} tickets (issue 5)`, [
  ['dataset', `${data.tickets} tickets, ${data.comments} comments, ${data.attachments} attachments (bench/sd-dataset.ts; ${(made.ms / 1000).toFixed(0)} s to build, or reused)`],
  ['`node -e 0` (the floor)', `${command(data, ['-e', '0']).ms.toFixed(0)} ms`],
  row('`sd version` (start-up and imports)', [SD, 'version']),
  row('`sd ticket list` (active: status new or open)', [SD, 'ticket', 'list']),
  row('`sd ticket list -- status=open owner=dev7@…`', [SD, 'ticket', 'list', '--', 'status=open', `owner=${data.sampleOwner}`]),
  row('`sd ticket list --sort owner --group milestone`', [SD, 'ticket', 'list', '--sort', 'owner', '--group', 'milestone']),
  row('`sd ticket search --regex "unicode crash"`', [SD, 'ticket', 'search', '--regex', 'unicode crash']),
  row('`sd ticket show 1` (a ticket with its comments and history)', [SD, 'ticket', 'show', '1']),
]);
