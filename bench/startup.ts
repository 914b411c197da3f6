/**
 * Issue 16's start-up benchmark: `sd version` and `prophet version` as
 * child processes, interleaved run by run with `node -e 0` so a machine
 * that gets busier mid-run slows every case alike. The target: each within
 * 1.5× of Node's own start. Run: npm run bench:startup
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { spread, time } from './measure.js';
import { writeResults } from './results.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 31);
const BIN = join(import.meta.dirname, '..', 'bin');

const cases: Array<{ label: string; argv: string[] }> = [
  { label: '`node -e 0` (the floor)', argv: ['-e', '0'] },
  { label: '`prophet version`', argv: [join(BIN, 'prophet.js'), 'version'] },
  { label: '`sd version`', argv: [join(BIN, 'sd.js'), 'version'] },
  { label: '`sd help` (every command\'s summary)', argv: [join(BIN, 'sd.js'), 'help'] },
];

const timings = cases.map(() => [] as number[]);
for (let run = 0; run < RUNS; run++) {
  cases.forEach(({ argv }, i) => {
    const { ms, value } = time(() => spawnSync(process.execPath, argv, { encoding: 'utf8' }));
    if (value.status !== 0) throw new Error(`node ${argv.join(' ')} failed: ${value.stderr}`);
    timings[i]!.push(ms);
  });
}

const floor = spread(timings[0]!).median;
writeResults(
  'startup',
  'Start-up: `sd version` and `prophet version` against `node -e 0` (issue 16)',
  cases.map(({ label }, i) => {
    const s = spread(timings[i]!);
    const ratio = i === 0 ? '' : `, ${(s.median / floor).toFixed(2)}× node`;
    return [label, `${s.median.toFixed(0)} ms median of ${RUNS} (${s.min.toFixed(0)}–${s.max.toFixed(0)})${ratio}`];
  }),
);
