import { describe, expect, it } from 'vitest';
import { preparedOnUse } from '../../src/prophet/store/prepared-on-use.js';

describe('statements prepared on first use', () => {
  it('prepares each one when first used, then hands back the same one; an unused one never', () => {
    const made: string[] = [];
    const s = preparedOnUse({
      read: () => (made.push('read'), { name: 'read' }),
      write: () => (made.push('write'), { name: 'write' }),
    });
    expect(made).toEqual([]);
    const first = s.read;
    expect(s.read).toBe(first);
    expect(made).toEqual(['read']);
    expect(Object.keys(s)).toEqual(['read', 'write']);
  });

  it('tries again after a statement failed to prepare', () => {
    let tries = 0;
    const s = preparedOnUse({
      flaky: () => {
        if (++tries === 1) throw new Error('no such table');
        return 'prepared';
      },
    });
    expect(() => s.flaky).toThrow('no such table');
    expect(s.flaky).toBe('prepared');
  });
});
