import { describe, expect, it } from 'vitest';
import { bestMatches, hasMatch, intersectionOfMatches, matchesWithout, rankOf, unionOfMatches, type TextMatches } from '../../src/prophet/store/text-matches.js';
import { seededRandom } from '../helpers/seeded-random.js';

const m = (pairs: Array<[number, number]>): TextMatches => ({ luids: pairs.map(([l]) => l), ranks: pairs.map(([, r]) => r) });

describe('full-text matches', () => {
  it('combine in local id order: a union keeps the first list\'s rank, an intersection adds them, an exclusion drops', () => {
    const a = m([[1, -2], [3, -1], [5, -4]]);
    const b = m([[2, 0], [3, 0], [6, 0]]);
    expect(unionOfMatches(a, b)).toEqual(m([[1, -2], [2, 0], [3, -1], [5, -4], [6, 0]]));
    expect(intersectionOfMatches(a, m([[3, -3], [5, 1], [7, 0]]))).toEqual(m([[3, -4], [5, -3]]));
    expect(matchesWithout(a, new Set([3]))).toEqual(m([[1, -2], [5, -4]]));
    expect([hasMatch(a, 3), hasMatch(a, 4), rankOf(a, 5), rankOf(a, 4)]).toEqual([true, false, -4, 0]);
  });

  it('give a page best first (or last), ties by local id, the same whether picked in one pass or sorted', () => {
    const random = seededRandom(7);
    const luids = Array.from({ length: 500 }, (_, i) => i * 2 + 1);
    const all = { luids, ranks: luids.map(() => Math.floor(random() * 20) - 20) };
    for (const descending of [false, true]) {
      const sorted = luids
        .map((luid, i) => [luid, all.ranks[i]!] as const)
        .sort(([la, a], [lb, b]) => (descending ? -1 : 1) * (a - b) || la - lb)
        .map(([luid]) => luid);
      expect(bestMatches(all, descending, 0, 20)).toEqual(sorted.slice(0, 20));
      expect(bestMatches(all, descending, 10, 15)).toEqual(sorted.slice(10, 25));
      expect(bestMatches(all, descending, 0, undefined)).toEqual(sorted);
      expect(bestMatches(all, descending, 490, 20)).toEqual(sorted.slice(490));
    }
  });
});
