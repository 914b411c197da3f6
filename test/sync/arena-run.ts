/**
 * The arena's long soak: `npm run arena -- --seeds 10000 [--start 1]`, or
 * `npm run arena -- --replay test/sync/recipes/seed-42.json`. A failing
 * seed is shrunk and saved under test/sync/recipes/, where
 * arena.test.ts replays it on every test run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, play, shrink, type Recipe } from './arena.js';

const RECIPES = join(import.meta.dirname, 'recipes');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const replay = option('replay');
  if (replay) {
    const result = await play(JSON.parse(readFileSync(replay, 'utf8')) as Recipe);
    console.log(result.ok ? `ok after ${result.rounds} rounds` : `FAILED: ${result.failure}`);
    return result.ok ? 0 : 1;
  }
  const seeds = Number(option('seeds') ?? 100);
  const start = Number(option('start') ?? 1);
  const rounds: number[] = [];
  let failures = 0;
  const settled: Record<string, number> = {};
  const began = Date.now();
  for (let seed = start; seed < start + seeds; seed++) {
    const recipe = generate(seed);
    const result = await play(recipe);
    rounds.push(result.rounds);
    for (const [how, n] of Object.entries(result.settled)) settled[how] = (settled[how] ?? 0) + n;
    if (!result.ok) {
      failures++;
      console.log(`seed ${seed}: FAILED (${result.failure}); shrinking ${recipe.steps.length} steps`);
      const small = await shrink(recipe);
      mkdirSync(RECIPES, { recursive: true });
      const file = join(RECIPES, `seed-${seed}.json`);
      writeFileSync(file, `${JSON.stringify(small, null, 1)}\n`);
      console.log(`seed ${seed}: saved ${small.steps.length} steps to ${file}: ${(await play(small)).failure}`);
    }
    if ((seed - start + 1) % 100 === 0) console.log(`${seed - start + 1} seeds, ${failures} failed, ${((Date.now() - began) / 1000).toFixed(0)} s`);
  }
  const histogram = new Map<number, number>();
  for (const r of rounds) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  console.log(`${seeds} seeds (${start}..${start + seeds - 1}), ${failures} failed, ${((Date.now() - began) / 1000).toFixed(1)} s`);
  console.log(`all-pairs rounds until quiet (including the final quiet one): ${[...histogram].sort(([a], [b]) => a - b).map(([r, n]) => `${r}: ${n}`).join(', ')}`);
  console.log(`conflicts met, by how they were settled: ${JSON.stringify(settled)}`);
  return failures ? 1 : 0;
}

process.exitCode = await main();
