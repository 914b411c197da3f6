import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { undo } from '../../src/prophet/replica/undo.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';

type Op =
  | { kind: 'create'; type: string; props: Record<string, string> }
  | { kind: 'update'; pick: number; props: Record<string, string> }
  | { kind: 'delete'; pick: number }
  | { kind: 'batch'; ops: Array<{ pick: number; props: Record<string, string> }> };

const propName = fc.constantFrom('a', 'b', 'c', 'status', 'owner');
// The empty string is in the alphabet on purpose: it means "remove the property".
const propValue = fc.constantFrom('', 'x', 'y', 'z', 'new', 'open', 'ünï', 'with space');
const props = fc.dictionary(propName, propValue, { maxKeys: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), type: fc.constantFrom('Bug', 'Task'), props }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), props }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('batch' as const), ops: fc.array(fc.record({ pick: fc.nat(), props }), { maxLength: 3 }) }) },
);

/** Every record the replica knows: uuid → live flag, type and properties. */
function snapshot(r: Replica): Record<string, { type: string; live: boolean; props: Record<string, string> }> {
  const out: Record<string, { type: string; live: boolean; props: Record<string, string> }> = {};
  for (const type of ['Bug', 'Task']) {
    for (const row of r.liveRecords(type)) out[row.uuid] = { type: row.type, live: row.live, props: row.props };
  }
  return out;
}

function run(r: Replica, ops: Op[]): void {
  const live = () => [...r.liveRecords('Bug'), ...r.liveRecords('Task')];
  for (const o of ops) {
    const records = live();
    if (o.kind === 'create') r.create(o.type, o.props);
    else if (o.kind === 'batch') {
      if (!records.length) continue;
      r.edit((e) => {
        for (const b of o.ops) {
          const t = records[b.pick % records.length]!;
          if (e.current(t.uuid)) e.update(t.type, t.uuid, b.props);
        }
      });
    } else if (records.length) {
      const t = records[o.pick % records.length]!;
      if (o.kind === 'update') r.update(t.type, t.uuid, o.props);
      else r.delete(t.type, t.uuid);
    }
  }
}

describe('the log is the truth', () => {
  it('replaying the log into an empty replica reproduces the records exactly', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const dir = tempDir();
        const r = Replica.init(join(dir, 'a'), { env: testEnv() });
        run(r, ops);
        const copy = Replica.init(join(dir, 'b'), { env: testEnv(), withoutSettings: true });
        copy.transaction(() => {
          for (const cs of r.changesets()) copy.applyContent(cs);
        });
        expect(snapshot(copy)).toEqual(snapshot(r));
        expect(copy.latestSequenceNo()).toBe(r.latestSequenceNo());
        expect([...copy.rawChangesets(1)].map((c) => [c.hash, c.body])).toEqual([...r.rawChangesets(1)].map((c) => [c.hash, c.body]));
        r.close();
        copy.close();
      }),
      { numRuns: 60, seed: 20261124 },
    );
  });

  it('undoing every changeset newest first leaves no records', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const r = Replica.init(join(tempDir(), 'a'), { env: testEnv() });
        run(r, ops);
        for (let seq = r.latestSequenceNo(); seq >= 1; seq--) undo(r, seq);
        expect(snapshot(r)).toEqual({});
        r.close();
      }),
      { numRuns: 60, seed: 20261124 },
    );
  });
});
