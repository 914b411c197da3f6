import { describe, expect, it } from 'vitest';
import { sameTextSources, textSourcesKey } from '../../src/prophet/store/full-text.js';

/** The key a store keeps of the app's text sources, and when a stored one still stands (else the `via` table is rebuilt). */
describe('the text sources kept in a replica', () => {
  const note = { owner: 'Bug', type: 'Note', prop: 'bug' };
  const comment = { owner: 'Bug', type: 'comment', prop: 'bug' };
  const wanted = textSourcesKey([comment, note]);

  it('is one key whatever order or repetition the app names them in', () => {
    expect(textSourcesKey([note, comment, note])).toBe(wanted);
    expect(JSON.parse(wanted)).toEqual([note, comment]);
  });

  it('stands when stored in another order (an older release sorted by locale)', () => {
    expect(sameTextSources(`[${JSON.stringify(comment)},${JSON.stringify(note)}]`, wanted)).toBe(true);
    expect(sameTextSources(wanted, wanted)).toBe(true);
  });

  it('does not when nothing is stored, another set is, a source is named twice, or the value is not a list of sources', () => {
    expect(sameTextSources(undefined, wanted)).toBe(false);
    expect(sameTextSources(textSourcesKey([note]), wanted)).toBe(false);
    expect(sameTextSources(textSourcesKey([note, comment, { ...comment, prop: 'parent' }]), wanted)).toBe(false);
    expect(sameTextSources(`[${JSON.stringify(note)},${JSON.stringify(comment)},${JSON.stringify(note)}]`, wanted)).toBe(false);
    for (const odd of ['', 'not json', 'null', '{}', '[null]']) expect(sameTextSources(odd, wanted)).toBe(false);
  });
});
