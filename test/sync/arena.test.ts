import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, play, type Recipe } from './arena.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
const RECIPES = join(import.meta.dirname, 'recipes');

describe('the sync arena: after all-pairs rounds every replica holds the same records', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const result = await play(generate(seed));
    expect(result.failure).toBeUndefined();
    expect(result.rounds).toBeLessThan(6);
  });
});

const recipes = existsSync(RECIPES) ? readdirSync(RECIPES).filter((f) => f.endsWith('.json')) : [];
describe.runIf(recipes.length)('saved arena recipes (regressions)', () => {
  it.each(recipes)('%s', async (file) => {
    const result = await play(JSON.parse(readFileSync(join(RECIPES, file), 'utf8')) as Recipe);
    expect(result.failure).toBeUndefined();
  });
});
