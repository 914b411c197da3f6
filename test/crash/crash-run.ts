/**
 * The long crash campaign: `npm run crash -- --seed 1 --trials 150`, or
 * several seeds with `--seeds 5 [--start 1]`; `--changesets N` sizes the
 * source (default 3000, the first sixth already cloned and published, so
 * a pull or push crosses a batch boundary).
 * Failed trials keep their directories and are listed with the seed.
 */
import { runCampaign, summarize, type Calibration, type TrialResult } from './campaign.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const start = Number(option('seed') ?? option('start') ?? 1);
  const seeds = Number(option('seeds') ?? 1);
  const trials = Number(option('trials') ?? 40);
  const changesets = Number(option('changesets') ?? 3000);
  const size = { changesets, early: Math.max(1, Math.floor(changesets / 6)) };
  const began = Date.now();
  const results: TrialResult[] = [];
  let calibration: Calibration | undefined;
  for (let seed = start; seed < start + seeds; seed++) {
    const report = await runCampaign({ seed, trials, size, calibration, keepFailures: true, log: console.log });
    calibration = report.calibration;
    results.push(...report.results);
  }
  const failed = results.filter((r) => r.failure);
  console.log(`\n${results.length} trials (seeds ${start}..${start + seeds - 1}, ${changesets} changesets), ${failed.length} failed, ${((Date.now() - began) / 1000).toFixed(0)} s`);
  for (const line of summarize(results)) console.log(line);
  for (const f of failed) console.log(`FAILED seed ${f.seed} trial ${f.trial} (${f.op}, kill after ${f.killAfterMs} ms): ${f.failure}${f.dir ? ` [kept in ${f.dir}]` : ''}`);
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
