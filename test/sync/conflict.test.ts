import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choicesOf, decide, fingerprintOf, makeConflict, tallyVotes, type Candidate, type Vote } from '../../src/prophet/sync/conflict.js';

const UUID = '11111111-2222-4333-8444-555555555555';
const head = (value: string | null, side: Candidate['side'], created = '2026-01-01T00:00:00.000Z', id = `1@${UUID}`): Candidate => ({ id, created, value, side });
const status = (...heads: Candidate[]) => makeConflict('Bug', UUID, [{ name: 'status', heads }]);
const vote = (resolver: string, values: Record<string, string | null>): Vote => ({ resolver, creator: null, values });

describe('fingerprint', () => {
  it('is the same whichever side holds which value, and whatever order the properties and heads come in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.array(fc.option(fc.string()), { minLength: 2 })), { minLength: 1 }), (props) => {
        const named = [...new Map(props).entries()].map(([name, values]) => ({ name, heads: values.map((v, i) => head(v, i % 2 ? 'source' : 'target')) }));
        const shuffled = [...named].reverse().map((p) => ({ name: p.name, heads: [...p.heads].reverse().map((h) => ({ ...h, side: h.side === 'target' ? 'source' as const : 'target' as const })) }));
        expect(fingerprintOf('Bug', UUID, shuffled)).toBe(fingerprintOf('Bug', UUID, named));
      }),
    );
  });

  it('differs with the choices, the property or the record', () => {
    const base = fingerprintOf('Bug', UUID, [{ name: 'a', heads: [head('x', 'target'), head('y', 'source')] }]);
    expect(fingerprintOf('Bug', UUID, [{ name: 'a', heads: [head('x', 'target'), head('z', 'source')] }])).not.toBe(base);
    expect(fingerprintOf('Bug', UUID, [{ name: 'b', heads: [head('x', 'target'), head('y', 'source')] }])).not.toBe(base);
    expect(fingerprintOf('Task', UUID, [{ name: 'a', heads: [head('x', 'target'), head('y', 'source')] }])).not.toBe(base);
  });

  it('lists distinct choices sorted, unset first', () => {
    expect(choicesOf([head('b', 'target'), head(null, 'source'), head('a', 'source'), head('b', 'source')])).toEqual([null, 'a', 'b']);
  });
});

describe('votes', () => {
  const c = status(head('open', 'target'), head('stalled', 'source'));

  it('the largest group wins', () => {
    expect(tallyVotes(c, [vote('r1', { status: 'open' }), vote('r2', { status: 'stalled' }), vote('r3', { status: 'stalled' })])).toEqual({
      how: 'vote',
      values: { status: 'stalled' },
      decidedBy: ['r2', 'r3'],
    });
  });

  it('counts one vote per resolving replica, and names the voters by who decided', () => {
    const byAnn = (resolver: string, status: string): Vote => ({ resolver, creator: 'ann@example.com', values: { status } });
    const decision = tallyVotes(c, [byAnn('r1', 'open'), byAnn('r2', 'open'), vote('r3', { status: 'stalled' })]);
    expect(decision).toEqual({ how: 'vote', values: { status: 'open' }, decidedBy: ['ann@example.com'] });
  });

  it('a tie goes to the smallest canonical JSON, whatever order the votes are read in', () => {
    const votes = [vote('r1', { status: 'stalled' }), vote('r2', { status: 'open' })];
    expect(tallyVotes(c, votes)?.values).toEqual({ status: 'open' });
    expect(tallyVotes(c, [...votes].reverse())?.values).toEqual({ status: 'open' });
  });

  it('ignores votes for values that are not among the choices; absent means unset', () => {
    expect(tallyVotes(c, [vote('r1', { status: 'closed' })])).toBeUndefined();
    const withUnset = status(head(null, 'target'), head('open', 'source'));
    expect(tallyVotes(withUnset, [vote('r1', {})])?.values).toEqual({ status: null });
  });
});

describe('the resolver chain', () => {
  const c = status(head('open', 'target', '2026-01-01T00:00:00.000Z'), head('stalled', 'source', '2026-01-02T00:00:00.000Z'));

  it('takes the vote before the preference', () => {
    expect(decide(c, { votes: [vote('r1', { status: 'stalled' })], prefer: 'target' })).toMatchObject({ how: 'vote', values: { status: 'stalled' } });
  });

  it('prefers a side when no one voted', () => {
    expect(decide(c, { votes: [], prefer: 'target' })).toEqual({ how: 'prefer', values: { status: 'open' }, decidedBy: [] });
    expect(decide(c, { votes: [], prefer: 'source' })).toEqual({ how: 'prefer', values: { status: 'stalled' }, decidedBy: [] });
  });

  it('on one side holding several writes, prefers its latest', () => {
    const three = status(head('a', 'target', '2026-01-01T00:00:00.000Z'), head('b', 'target', '2026-01-03T00:00:00.000Z'), head('c', 'source'));
    expect(decide(three, { votes: [], prefer: 'target' })?.values).toEqual({ status: 'b' });
  });

  it("uses the user's answer, and otherwise decides nothing", () => {
    expect(decide(c, { votes: [], answers: new Map([[c.fingerprint, { status: 'open' }]]) })).toMatchObject({ how: 'prompt' });
    expect(decide(c, { votes: [] })).toBeUndefined();
  });
});
