import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/prophet/model/canonical-json.js';
import { hashChangeset, parseChangesetContent, serializeChangeset, verifyChangeset } from '../../src/prophet/model/changeset.js';
import { sha256Hex } from '../../src/prophet/model/hash.js';
import type { ChangesetContent } from '../../src/prophet/model/types.js';
import { applyWrite, isConflicted, isLive, winningHead } from '../../src/prophet/model/write-state.js';

const A = '0a0a0a0a-0000-4000-8000-000000000001';
const R = '0b0b0b0b-0000-4000-8000-000000000002';

function content(over: Partial<ChangesetContent> = {}): ChangesetContent {
  return {
    original_source_uuid: A,
    original_sequence_no: 2,
    creator: 'a@x',
    created: '2026-11-24T10:00:00.000Z',
    is_nullification: false,
    is_resolution: false,
    changes: { [R]: { record_type: 'Bug', change_type: 'update', pred: [`1@${A}`], prop_changes: { status: { old_value: 'new', new_value: 'open', pred: [`1@${A}`] } } } },
    ...over,
  };
}

describe('canonical JSON and hashes', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: null }], c: 'é' } })).toBe('{"a":{"c":"é","d":[1,{"x":null,"z":1}]},"b":1}');
  });

  it('hashes the content only: local fields never change it', () => {
    const c = content();
    expect(hashChangeset({ ...c, sequence_no: 7, hash: 'zzz' } as ChangesetContent)).toBe(hashChangeset(c));
    expect(serializeChangeset({ ...c, sequence_no: 7 } as ChangesetContent)).not.toMatch(/sequence_no":7/);
  });
});

describe('verifying a changeset from a peer', () => {
  it('accepts the exact bytes with the right hash', () => {
    const c = content();
    expect(verifyChangeset(serializeChangeset(c), hashChangeset(c), 'x')).toEqual(c);
  });

  it('refuses a tampered body, naming where', () => {
    const c = content();
    const tampered = serializeChangeset(c).replace('"open"', '"shut"');
    expect(() => verifyChangeset(tampered, hashChangeset(c), 'changeset 2 from peer')).toThrow(/changeset 2 from peer: content hash .* does not match/);
  });

  it('refuses malformed shapes field by field', () => {
    const bad = (mutate: (o: Record<string, unknown>) => void) => {
      const o = JSON.parse(serializeChangeset(content())) as Record<string, unknown>;
      mutate(o);
      return () => parseChangesetContent(o, 'cs');
    };
    expect(bad((o) => (o.original_source_uuid = 'nope'))).toThrow(/original_source_uuid is not a uuid/);
    expect(bad((o) => (o.original_sequence_no = 0))).toThrow(/original_sequence_no/);
    expect(bad((o) => ((o.changes as Record<string, { change_type: string }>)[R]!.change_type = 'explode'))).toThrow(/unknown change_type/);
    expect(bad((o) => ((o.changes as Record<string, { pred: unknown }>)[R]!.pred = ['garbage']))).toThrow(/not a changeset id/);
    expect(bad((o) => (o.changes = []))).toThrow(/changes is not an object/);
    expect(() => verifyChangeset('{not json', sha256Hex('{not json'), 'cs')).toThrow(/cs: not valid JSON/);
  });
});

describe('the write rule', () => {
  const w = (id: string, value: string | null, created = '2026-01-01T00:00:00.000Z') => ({ id, value, created });

  it('replaces exactly the heads a write names', () => {
    const one = applyWrite([], w('1@a', 'x'), []);
    expect(one).toEqual({ heads: [w('1@a', 'x')], concurrent: false });
    const two = applyWrite(one.heads, w('2@a', 'y'), ['1@a']);
    expect(two).toEqual({ heads: [w('2@a', 'y')], concurrent: false });
  });

  it('keeps concurrent writes side by side, in either order, with the same winner', () => {
    const base = [w('1@a', 'x')];
    const left = w('2@a', 'y', '2026-01-02T00:00:00.000Z');
    const right = w('1@b', 'z', '2026-01-03T00:00:00.000Z');
    const ab = applyWrite(applyWrite(base, left, ['1@a']).heads, right, ['1@a']);
    const ba = applyWrite(applyWrite(base, right, ['1@a']).heads, left, ['1@a']);
    expect(ab.concurrent).toBe(true);
    expect(new Set(ab.heads.map((h) => h.id))).toEqual(new Set(ba.heads.map((h) => h.id)));
    expect(winningHead(ab.heads)).toEqual(winningHead(ba.heads));
    expect(winningHead(ab.heads)!.value).toBe('z');
    expect(isConflicted(ab.heads)).toBe(true);
    const merged = applyWrite(ab.heads, w('3@a', 'final'), ['2@a', '1@b']);
    expect(merged.heads).toEqual([w('3@a', 'final')]);
  });

  it('breaks a tie of equal times by changeset id, and sees identical values as no disagreement', () => {
    expect(winningHead([w('1@b', 'p'), w('1@a', 'q')])!.value).toBe('p');
    expect(isConflicted([w('1@b', 'same'), w('1@a', 'same')])).toBe(false);
  });

  it('keeps a record alive while any existence head is live', () => {
    expect(isLive([w('1@a', null), w('1@b', '1')])).toBe(true);
    expect(isLive([w('1@a', null)])).toBe(false);
  });

  it('ignores a write it already holds', () => {
    expect(applyWrite([w('1@a', 'x')], w('1@a', 'x'), []).heads).toHaveLength(1);
  });
});
