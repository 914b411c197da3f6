import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/prophet/model/canonical-json.js';
import { hashChangeset, parseChangesetContent, serializeChangeset, verifyChangeset } from '../../src/prophet/model/changeset.js';
import { sha256Hex } from '../../src/prophet/model/hash.js';
import type { ChangesetContent } from '../../src/prophet/model/types.js';
import { applyWrite, isConflicted, isLive, winningHead } from '../../src/prophet/model/write-state.js';
import { seededRandom } from '../helpers/seeded-random.js';

const pick3 = (rand: () => number) => (['add', 'update', 'delete'] as const)[Math.floor(rand() * 3)]!;

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

  it('writes keys sorted at any depth, undefined members dropped, each scalar as JSON.stringify does, and refuses what JSON cannot hold exactly', () => {
    const rand = seededRandom(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const keys = ['a', 'B', 'é', '10', '2', 'quote"d', 'line\nbreak', '😀', 'z'];
    const value = (depth: number): unknown => {
      const kind = depth > 3 ? Math.floor(rand() * 4) : Math.floor(rand() * 7);
      if (kind === 0) return pick(['', 'x', 'é\u0001', '\ud800', '"\\']);
      if (kind === 1) return pick([0, -1.5, 1e21, 2 ** 53]);
      if (kind === 2) return pick([true, false, null]);
      if (kind === 3) return undefined;
      if (kind === 4) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [pick(keys), value(depth + 1)]));
    };
    // JSON.stringify alone would write integer-like keys first, whatever their order.
    const reference = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.map((x) => (x === undefined ? 'null' : reference(x))).join(',')}]`
        : v && typeof v === 'object'
          ? `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${reference((v as Record<string, unknown>)[k])}`).join(',')}}`
          : JSON.stringify(v);
    for (let i = 0; i < 500; i++) {
      const v = value(0);
      if (v !== undefined) expect(canonicalJson(v)).toBe(reference(v));
    }
    expect(() => canonicalJson({ a: NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson([() => 1])).toThrow(/cannot hold a function/);
  });

  it('serialises a changeset as the canonical JSON of its content, empty pred lists left out', () => {
    const rand = seededRandom(11);
    const ids = (n: number) => Array.from({ length: n }, () => `${1 + Math.floor(rand() * 9)}@${A}`);
    for (let i = 0; i < 200; i++) {
      const changes: ChangesetContent['changes'] = {};
      for (let r = Math.floor(rand() * 4); r >= 0; r--) {
        const props: ChangesetContent['changes'][string]['prop_changes'] = {};
        for (const name of ['status', 'Zeta', 'é', 'quote"d', '10'].filter(() => rand() < 0.5)) {
          props[name] = { old_value: rand() < 0.3 ? null : `old ${name}`, new_value: rand() < 0.3 ? null : `new\n${name}`, pred: ids(Math.floor(rand() * 3)) };
        }
        const uuid = `0c0c0c0c-0000-4000-8000-${String(Math.floor(rand() * 1e12)).padStart(12, '0')}`;
        changes[uuid] = { record_type: 'Bug', change_type: pick3(rand), pred: ids(Math.floor(rand() * 3)), prop_changes: props, ...(rand() < 0.3 ? { resolves: 'f'.repeat(40) } : {}) };
      }
      const c = content({ changes, creator: rand() < 0.2 ? null : 'a@x', is_resolution: rand() < 0.5 });
      const expected = {
        ...c,
        changes: Object.fromEntries(
          Object.entries(c.changes).map(([uuid, ch]) => [
            uuid,
            {
              ...ch,
              pred: ch.pred.length ? [...ch.pred].sort() : undefined,
              prop_changes: Object.fromEntries(Object.entries(ch.prop_changes).map(([n, pc]) => [n, { ...pc, pred: pc.pred.length ? [...pc.pred].sort() : undefined }])),
            },
          ]),
        ),
      };
      expect(serializeChangeset(c)).toBe(canonicalJson(expected));
    }
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
