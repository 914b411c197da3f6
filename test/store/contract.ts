/**
 * What every storage engine must do, as one suite: run it against each
 * engine (SQLite on disk and in memory today; the next engine tomorrow).
 * It speaks only the Store interface.
 */
import { describe, expect, it } from 'vitest';
import { ChangesetKind, EXISTENCE, INDEXED_CHARS, type IndexedFilter, type RecordWriteState, type Store } from '../../src/prophet/store/store.js';
import type { TextMatches } from '../../src/prophet/store/text-matches.js';

/** Full-text matches as (local id, rank) pairs. */
const pairs = (m: TextMatches) => m.luids.map((luid, i) => [luid, m.ranks[i]!]);

export interface EngineUnderTest {
  store: Store;
  close(): void;
}

const U = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

function changeset(store: Store, origin: string, originSeq: number): number {
  return store.appendChangeset({ origin_uuid: origin, origin_seq: originSeq, created: `2026-01-01T00:00:0${originSeq % 10}.000Z`, kind: ChangesetKind.Normal, hash: `h${originSeq}`, body: `{"n":${originSeq}}` });
}

export function storeContract(engine: string, open: () => EngineUnderTest): void {
  const withStore = (fn: (store: Store) => void) => () => {
    const e = open();
    try {
      fn(e.store);
    } finally {
      e.close();
    }
  };

  describe(`storage engine contract: ${engine}`, () => {
    it('keeps metadata by case-insensitive key, listed in key order', withStore((s) => {
      expect(s.getMeta('missing')).toBeUndefined();
      s.setMeta('B-Key', '2');
      s.setMeta('a-key', '1');
      s.setMeta('b-key', '3');
      expect(s.getMeta('b-KEY')).toBe('3');
      expect(s.allMeta().filter(([k]) => k.endsWith('-key'))).toEqual([['a-key', '1'], ['b-key', '3']]);
      s.deleteMeta('A-KEY');
      expect(s.getMeta('a-key')).toBeUndefined();
    }));

    it('keeps merge tickets, zero until set', withStore((s) => {
      expect(s.getMergeTicket(U(1))).toBe(0);
      s.setMergeTicket(U(2), 7);
      s.setMergeTicket(U(1), 3);
      s.setMergeTicket(U(2), 9);
      expect(s.getMergeTicket(U(2).toUpperCase())).toBe(9);
      expect(s.allMergeTickets()).toEqual([[U(1), 3], [U(2), 9]]);
    }));

    it('appends changesets at consecutive sequence numbers and reads them back byte for byte', withStore((s) => {
      expect(s.latestSeq()).toBe(0);
      expect([changeset(s, U(1), 1), changeset(s, U(2), 1), changeset(s, U(1), 2)]).toEqual([1, 2, 3]);
      expect(s.latestSeq()).toBe(3);
      expect(s.countChangesets()).toBe(3);
      expect(s.changesetBySeq(2)).toEqual({ seq: 2, origin_uuid: U(2), origin_seq: 1, created: '2026-01-01T00:00:01.000Z', kind: ChangesetKind.Normal, hash: 'h1', body: '{"n":1}', signature: null });
      expect(s.changesetBySeq(4)).toBeUndefined();
      expect(s.seqOfOrigin(U(1), 2)).toBe(3);
      expect(s.seqOfOrigin(U(3), 1)).toBeUndefined();
      expect([...s.changesetsBetween(2, 3)].map((r) => r.seq)).toEqual([2, 3]);
      expect([...s.changesetsBetween(4, 9)]).toEqual([]);
    }));

    it('reads back long bodies byte for byte, repetitive, incompressible and beyond ASCII', withStore((s) => {
      const bodies = [
        JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ new_value: `value ${i % 7}`, old_value: null }))),
        JSON.stringify(Array.from({ length: 400 }, (_, i) => (i * 2654435761 % 4294967296).toString(36) + Math.sin(i).toString(36))),
        JSON.stringify({ text: 'naïve café ☃ 𝄞 '.repeat(200) }),
      ];
      const seqs = bodies.map((body, i) => s.appendChangeset({ origin_uuid: U(1), origin_seq: i + 1, created: '2026-01-01T00:00:00.000Z', kind: ChangesetKind.Normal, hash: `h${i}`, body }));
      expect(seqs.map((seq) => s.changesetBySeq(seq)?.body)).toEqual(bodies);
      expect([...s.changesetsBetween(1, 3)].map((r) => r.body)).toEqual(bodies);
    }));

    it('keeps a changeset\'s signature beside its body, and none for an unsigned one', withStore((s) => {
      const signed = s.appendChangeset({ origin_uuid: U(1), origin_seq: 1, created: '2026-01-01T00:00:00.000Z', kind: ChangesetKind.Normal, hash: 'h1', body: '{"n":1}', signature: 'ed25519:k:s' });
      const unsigned = changeset(s, U(1), 2);
      expect(s.changesetBySeq(signed)?.signature).toBe('ed25519:k:s');
      expect(s.changesetBySeq(unsigned)?.signature).toBeNull();
      expect([...s.changesetsBetween(1, 2)].map((r) => r.signature)).toEqual(['ed25519:k:s', null]);
    }));

    it('numbers records from 1 and internal records below 0, and finds them by uuid, local id and uuid prefix', withStore((s) => {
      const a = s.insertRecord(U(10), 'Bug');
      const setting = s.insertRecord(U(11), '__setting', undefined, true);
      const b = s.insertRecord(U(12), 'Bug', { live: true, props: { summary: 'x' }, heads: { [EXISTENCE]: [{ id: 1, value: '1' }], summary: [{ id: 1, value: 'x' }] } });
      expect([a, b]).toEqual([1, 2]);
      expect(setting).toBeLessThan(0);
      expect(s.recordByUuid(U(10))).toEqual({ luid: 1, uuid: U(10), type: 'Bug', live: false, props: {} });
      expect(s.recordByLuid(2)).toMatchObject({ uuid: U(12), live: true, props: { summary: 'x' } });
      expect(s.recordByUuid(U(99))).toBeUndefined();
      expect(s.uuidsWithPrefix('0000001', 10)).toEqual([U(10), U(11), U(12)]);
      expect(s.uuidsWithPrefix('0000001', 2)).toHaveLength(2);
    }));

    it('saves a record whole: liveness, shown values and heads, with conflicts listed', withStore((s) => {
      changeset(s, U(1), 1);
      changeset(s, U(2), 1);
      const luid = s.insertRecord(U(10), 'Bug');
      const heads = { [EXISTENCE]: [{ id: 1, value: '1' }], status: [{ id: 2, value: 'open' }, { id: 1, value: 'new' }], owner: [{ id: 1, value: 'bob' }] };
      s.saveRecord(luid, { live: true, props: { status: 'open', owner: 'bob' }, heads }, ['status', 'owner']);
      expect(s.recordWithHeads(U(10))).toEqual({ luid, uuid: U(10), type: 'Bug', live: true, props: { status: 'open', owner: 'bob' }, heads });
      expect(s.heads(luid, 'status')).toEqual(heads.status);
      expect(s.heads(luid, 'nothing')).toEqual([]);
      expect(s.conflictedProps(luid)).toEqual(['status']);
    }));

    it('reads back every shape of heads: one writer for all, a property unset since, a deleted record, another writer for one', withStore((s) => {
      const shapes: RecordWriteState[] = [
        { live: true, props: { status: 'new', owner: 'bob' }, heads: { [EXISTENCE]: [{ id: 3, value: '1' }], status: [{ id: 3, value: 'new' }], owner: [{ id: 3, value: 'bob' }] } },
        { live: true, props: { status: 'new' }, heads: { [EXISTENCE]: [{ id: 3, value: '1' }], status: [{ id: 3, value: 'new' }], owner: [{ id: 3, value: null }] } },
        { live: false, props: { status: 'new' }, heads: { [EXISTENCE]: [{ id: 3, value: null }], status: [{ id: 3, value: 'new' }] } },
        { live: true, props: { status: 'new', owner: 'bob' }, heads: { [EXISTENCE]: [{ id: 3, value: '1' }], status: [{ id: 4, value: 'new' }], owner: [{ id: 3, value: 'bob' }] } },
        { live: true, props: { status: 'new' }, heads: { [EXISTENCE]: [{ id: 3, value: '1' }] } },
      ];
      shapes.forEach((state, n) => {
        const luid = s.insertRecord(U(20 + n), 'Bug', state);
        expect(s.recordWithHeads(U(20 + n))).toEqual({ luid, uuid: U(20 + n), type: 'Bug', ...state });
        s.saveRecord(luid, state, []);
        expect(s.recordWithHeads(U(20 + n))?.heads).toEqual(state.heads);
      });
    }));

    it('lists and counts live records by type, and filters through the property index', withStore((s) => {
      const put = (n: number, type: string, live: boolean, props: Record<string, string>) => {
        const luid = s.insertRecord(U(n), type);
        // Inserted without a state, so a live one is restored (EXISTENCE changed).
        s.saveRecord(luid, { live, props, heads: {} }, live ? [...Object.keys(props), EXISTENCE] : Object.keys(props));
      };
      put(1, 'Bug', true, { status: 'open', owner: 'ann' });
      put(2, 'Bug', true, { status: 'closed', owner: 'ann' });
      put(3, 'Bug', false, { status: 'open', owner: 'ann' });
      put(4, 'Bug', true, { status: 'new', owner: 'bob' });
      put(5, 'Task', true, { status: 'open' });
      expect(s.liveRecords('Bug').map((r) => r.luid)).toEqual([1, 2, 4]);
      expect(s.liveTypes()).toEqual(['Bug', 'Task']);
      expect(s.countLive()).toBe(4);
      expect(s.countLive('Bug')).toBe(3);
      expect(s.liveRecordsWhere('Bug', [{ name: 'status', values: ['open', 'new'] }]).map((r) => r.luid)).toEqual([1, 4]);
      expect(s.liveRecordsWhere('Bug', [{ name: 'status', values: ['open', 'new'] }, { name: 'owner', values: ['ann'] }]).map((r) => r.luid)).toEqual([1]);
      // A changed value leaves the index with the record.
      s.saveRecord(1, { live: true, props: { owner: 'ann' }, heads: {} }, ['status']);
      expect(s.liveRecordsWhere('Bug', [{ name: 'status', values: ['open'] }])).toEqual([]);
    }));

    it('counts live records by property value, filtered through the property index, with or without the indexes', withStore((s) => {
      const put = (n: number, type: string, live: boolean, props: Record<string, string>) => s.insertRecord(U(n), type, { live, props, heads: {} });
      const counts = () => ({
        all: s.liveValueCounts('Bug', ['status'], []).sort(),
        open: s.liveValueCounts('Bug', ['owner', 'area'], [{ name: 'status', values: ['open', 'new'] }]).sort(),
        both: s.liveValueCounts('Bug', ['area'], [{ name: 'status', values: ['open'] }, { name: 'owner', values: ['ann'] }]),
      });
      const expected = {
        all: [['status', 'closed', 1], ['status', 'new', 1], ['status', 'open', 2]],
        open: [['area', 'ui', 2], ['owner', 'ann', 2], ['owner', 'bob', 1]],
        both: [['area', 'ui', 1]],
      };
      put(1, 'Bug', true, { status: 'open', owner: 'ann', area: 'ui' });
      put(2, 'Bug', true, { status: 'closed', owner: 'ann', area: 'ui' });
      put(3, 'Bug', false, { status: 'open', owner: 'ann', area: 'ui' });
      put(4, 'Bug', true, { status: 'new', owner: 'bob', area: 'ui' });
      put(5, 'Bug', true, { status: 'open', owner: 'ann' });
      put(6, 'Task', true, { status: 'open', owner: 'ann', area: 'ui' });
      expect(counts()).toEqual(expected);
      // A bulk load drops the secondary indexes: reading meanwhile must not need them.
      s.suspendIndexes();
      expect(() => s.liveValueCounts('Bug', ['status'], [{ name: 'owner', values: ['ann'] }])).not.toThrow();
      expect(() => s.liveRecordPage('Bug', { filters: [{ name: 'owner', values: ['ann'] }], order: [], descending: false, offset: 0, limit: 5 })).not.toThrow();
      s.restoreIndexes();
      expect(counts()).toEqual(expected);
    }));

    it('filters by values and ranges together and counts what passes, few records or many, whichever filter is the narrowest', withStore((s) => {
      const statuses = ['open', 'new', 'closed', 'stalled', 'rejected'];
      const props = (n: number): Record<string, string> => ({
        status: statuses[n % 5]!,
        created: `2024-${String(1 + (n % 12)).padStart(2, '0')}-01T00:00:00Z`,
        kind: n % 7 === 0 ? 'rare' : 'common',
        owner: ['ann', 'bob', 'cy'][n % 3]!,
      });
      s.transaction(() => {
        for (let n = 1; n <= 2600; n++) s.insertRecord(U(n), 'Bug', { live: n % 13 !== 0, props: props(n), heads: {} });
      });
      const passes = (f: IndexedFilter, value: string | undefined) =>
        value !== undefined && ('values' in f ? f.values.includes(value) : (f.from === undefined || value >= f.from) && (f.below === undefined || value < f.below));
      const cases: IndexedFilter[][] = [
        [{ name: 'kind', values: ['common'] }],
        [{ name: 'kind', values: ['common'] }, { name: 'created', from: '2024-02', below: '2024-11' }],
        [{ name: 'created', from: '2024-01', below: '2024-13' }, { name: 'status', values: ['open'] }],
        [{ name: 'status', values: ['open', 'new'] }, { name: 'created', from: '2024-03', below: '2024-05' }],
        [{ name: 'created', from: '2024-02' }, { name: 'created', below: '2024-12' }, { name: 'kind', values: ['rare'] }],
      ];
      for (const filters of cases) {
        const want = Array.from({ length: 2600 }, (_, i) => i + 1).filter((n) => n % 13 !== 0 && filters.every((f) => passes(f, props(n)[f.name])));
        expect(want.length).toBeGreaterThan(0);
        expect(s.liveRecordsWhere('Bug', filters).map((r) => r.luid)).toEqual(want);
        const page = s.liveRecordPage('Bug', { filters, order: [{ name: 'owner' }], descending: false, offset: 0, limit: 5 });
        expect(page.total).toBe(want.length);
        expect(page.records.map((r) => r.luid)).toEqual([...want].sort((a, b) => props(a).owner!.localeCompare(props(b).owner!) || a - b).slice(0, 5));
        const counted = new Map<string, number>();
        for (const n of want) for (const name of ['owner', 'status']) counted.set(`${name}=${props(n)[name]}`, (counted.get(`${name}=${props(n)[name]}`) ?? 0) + 1);
        expect(new Map(s.liveValueCounts('Bug', ['owner', 'status'], filters).map(([name, value, count]) => [`${name}=${value}`, count]))).toEqual(counted);
        const entries = (e: { luids: number[]; values: string[] }) => new Map(e.luids.map((luid, i) => [luid, e.values[i]]));
        expect(entries(s.indexEntriesOf('owner', want))).toEqual(new Map(want.map((n) => [n, props(n).owner])));
        expect(entries(s.liveIndexEntries('Bug', filters[0]!))).toEqual(
          new Map(Array.from({ length: 2600 }, (_, i) => i + 1).filter((n) => n % 13 !== 0 && passes(filters[0]!, props(n)[filters[0]!.name])).map((n) => [n, props(n)[filters[0]!.name]])),
        );
      }
      expect(s.indexEntriesOf('nothing', [1, 2])).toEqual({ luids: [], values: [] });
    }));

    it('pages records in property order, few or many (their sort values read per record or from the index)', withStore((s) => {
      const owners = ['ann', 'bob', 'cy', 'dee'];
      const stages = ['beta', 'alpha', 'zeta', 'omega'];
      const props = (n: number): Record<string, string> => ({
        kind: n % 7 === 0 ? 'rare' : 'common',
        ...(n % 5 === 0 ? {} : { owner: owners[(n * 7) % 4]! }),
        ...(n % 11 === 0 ? {} : { stage: stages[(n * 3) % 4]! }),
      });
      s.transaction(() => {
        for (let n = 1; n <= 2600; n++) s.insertRecord(U(n), 'Bug', { live: n % 13 !== 0, props: props(n), heads: {} });
      });
      const rank = ['alpha', 'beta'];
      const order = [{ name: 'stage', rank }, { name: 'owner', missingLast: true }];
      // The same order, by hand: ranked values first, then the others by value (missing first); owners missing last; then local id.
      const key = (n: number) => {
        const { stage, owner } = props(n);
        const r = stage !== undefined && rank.includes(stage) ? rank.indexOf(stage) : rank.length;
        return [r, stage === undefined ? 0 : 1, stage ?? '', owner === undefined ? 1 : 0, owner ?? '', n] as const;
      };
      const compare = (a: number, b: number) => {
        const [ka, kb] = [key(a), key(b)];
        for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
        return 0;
      };
      for (const filters of [[], [{ name: 'kind', values: ['rare'] }]]) {
        const expected = Array.from({ length: 2600 }, (_, i) => i + 1)
          .filter((n) => n % 13 !== 0 && (filters.length === 0 || props(n).kind === 'rare'))
          .sort(compare);
        for (const descending of [false, true]) {
          const want = descending ? [...expected].reverse() : expected;
          for (const offset of [0, 100, want.length - 20]) {
            const page = s.liveRecordPage('Bug', { filters, order, descending, offset, limit: 30 });
            expect(page.total).toBe(want.length);
            expect(page.records.map((r) => r.luid)).toEqual(want.slice(offset, offset + 30));
          }
        }
      }
    }));

    it('orders values the index holds cut short by the whole value, few records or many', withStore((s) => {
      const long = 'x'.repeat(INDEXED_CHARS);
      // Most titles share the indexed characters and differ after them, in the opposite order to their local ids.
      const title = (n: number) => (n % 10 === 0 ? `short ${n}` : `${long}${String(9999 - (n % 500)).padStart(4, '0')}`);
      s.transaction(() => {
        for (let n = 1; n <= 2100; n++) s.insertRecord(U(n), 'Bug', { live: true, props: { kind: n % 7 === 0 ? 'rare' : 'common', title: title(n) }, heads: {} });
      });
      for (const filters of [[], [{ name: 'kind', values: ['rare'] }]]) {
        const expected = Array.from({ length: 2100 }, (_, i) => i + 1)
          .filter((n) => filters.length === 0 || n % 7 === 0)
          .sort((a, b) => (title(a) === title(b) ? a - b : title(a) < title(b) ? -1 : 1));
        for (const descending of [false, true]) {
          const want = descending ? [...expected].reverse() : expected;
          const page = s.liveRecordPage('Bug', { filters, order: [{ name: 'title' }], descending, offset: 40, limit: 60 });
          expect(page.records.map((r) => r.luid)).toEqual(want.slice(40, 100));
        }
      }
    }));

    it('rebuilds the property index after a bulk load', withStore((s) => {
      s.suspendIndexes();
      for (let n = 1; n <= 50; n++) s.insertRecord(U(n), 'Bug', { live: true, props: { n: String(n % 5) }, heads: {} });
      s.restoreIndexes();
      expect(s.liveRecordsWhere('Bug', [{ name: 'n', values: ['0'] }])).toHaveLength(10);
    }));

    it('finds records by full text and counts a dependent record for the one it names', withStore((s) => {
      s.useTextSources([{ owner: 'Bug', type: 'Note', prop: 'bug' }]);
      const put = (n: number, type: string, live: boolean, props: Record<string, string>) => {
        const luid = s.insertRecord(U(n), type);
        // Inserted without a state, so a live one is restored (EXISTENCE changed).
        s.saveRecord(luid, { live, props, heads: {} }, live ? [...Object.keys(props), EXISTENCE] : Object.keys(props));
        return luid;
      };
      put(1, 'Bug', true, { summary: 'Crash in the café', due: '2026-05-01' });
      put(2, 'Bug', true, { summary: 'slow', due: '2026-07-01' });
      put(3, 'Bug', false, { summary: 'crash, deleted' });
      put(4, 'Note', true, { bug: U(2), text: 'it crashes and then a crash' });
      put(5, 'Note', false, { bug: U(1), text: 'slow note, deleted' });
      put(6, 'Task', true, { summary: 'crash of another type' });
      const crash = pairs(s.textMatches('"crash"', 'Bug', true));
      expect(crash.map(([luid]) => luid)).toEqual([1, 2]);
      expect(crash[0]![1]).toBeLessThan(0);
      expect(crash[1]![1]).toBe(0);
      expect(pairs(s.textMatches('"crash"', 'Bug', false))).toEqual([[1, 0], [2, 0]]);
      expect(pairs(s.textMatches('"crash"', 'Note', false))).toEqual([[4, 0]]);
      expect(pairs(s.textMatches('"cafe"', 'Bug', true)).map(([luid]) => luid)).toEqual([1]);
      expect(pairs(s.textMatches('"slow"', 'Bug', true)).map(([luid]) => luid)).toEqual([2]);
      expect(pairs(s.textMatchesAmong('"crash"', [2], 'Bug', false))).toEqual([[2, 0]]);
      expect(pairs(s.textMatchesAmong('"crash"', [1], 'Bug', true)).map(([luid]) => luid)).toEqual([1]);
      expect(pairs(s.textMatchesAmong('"slow"', [1], 'Bug', true))).toEqual([]);
      // A page of the ranked matches: own text first (by rank), then those found through their sources; reversed with descending.
      expect(s.textPage('"crash"', 'Bug', false, 0, 10)).toEqual({ luids: [1, 2], total: 2 });
      expect(s.textPage('"crash"', 'Bug', true, 0, 10)).toEqual({ luids: [2, 1], total: 2 });
      expect(s.textPage('"crash"', 'Bug', false, 1, 5)).toEqual({ luids: [2], total: 2 });
      expect(s.textPage('"crash"', 'Bug', false, 3, 5)).toEqual({ luids: [], total: 2 });
      // Changed text leaves the index with the record.
      s.saveRecord(1, { live: true, props: { summary: 'fixed' }, heads: {} }, ['summary', 'due']);
      expect(pairs(s.textMatches('"crash"', 'Bug', false))).toEqual([[2, 0]]);
      expect(s.liveRecordsByLuid('Bug', [2, 3, 4]).map((r) => r.luid)).toEqual([2]);
      expect(s.liveValues('Note', 'bug')).toEqual([U(2)]);
      // A note moved to another bug takes its words along; a deleted one takes them away, and its restoring brings them back.
      s.saveRecord(4, { live: true, props: { bug: U(1), text: 'it crashes and then a crash' }, heads: {} }, ['bug']);
      expect(pairs(s.textMatches('"crash"', 'Bug', false))).toEqual([[1, 0]]);
      s.saveRecord(4, { live: false, props: { bug: U(1), text: 'it crashes and then a crash' }, heads: {} }, [EXISTENCE]);
      expect(pairs(s.textMatches('"crash"', 'Bug', false))).toEqual([]);
      s.saveRecord(4, { live: true, props: { bug: U(1), text: 'it crashes and then a crash' }, heads: {} }, [EXISTENCE]);
      expect(pairs(s.textMatches('"crash"', 'Bug', false))).toEqual([[1, 0]]);
      // A deleted bug is found by nothing, its notes included, until it is restored.
      s.saveRecord(1, { live: false, props: { summary: 'fixed' }, heads: {} }, [EXISTENCE]);
      expect(pairs(s.textMatches('"crash"', 'Bug', false))).toEqual([]);
      expect(pairs(s.textMatches('"fixed"', 'Bug', false))).toEqual([]);
      s.saveRecord(1, { live: true, props: { summary: 'fixed' }, heads: {} }, [EXISTENCE]);
      expect(pairs(s.textMatches('"crash"', 'Bug', false))).toEqual([[1, 0]]);
      expect(pairs(s.textMatches('"fixed"', 'Bug', false))).toEqual([[1, 0]]);
      // A note that comes before the bug it names counts once the bug comes.
      put(7, 'Note', true, { bug: U(8), text: 'early bird' });
      expect(pairs(s.textMatches('"early"', 'Bug', false))).toEqual([]);
      put(8, 'Bug', true, { summary: 'late' });
      expect(pairs(s.textMatches('"early"', 'Bug', false))).toEqual([[8, 0]]);
    }));

    it('rebuilds the full-text index after a bulk load', withStore((s) => {
      s.useTextSources([{ owner: 'Bug', type: 'Note', prop: 'bug' }]);
      s.suspendIndexes();
      for (let n = 1; n <= 50; n++) s.insertRecord(U(n), 'Bug', { live: true, props: { summary: `word${n % 5}` }, heads: {} });
      for (let n = 51; n <= 60; n++) s.insertRecord(U(n), 'Note', { live: n !== 60, props: { bug: U(n - 50), text: `note${n % 2}` }, heads: {} });
      s.restoreIndexes();
      expect(pairs(s.textMatches('"word0"', 'Bug', true))).toHaveLength(10);
      expect(pairs(s.textMatches('"note0"', 'Bug', false)).map(([luid]) => luid)).toEqual([2, 4, 6, 8]);
      expect(pairs(s.textMatches('"note0"', 'Note', false)).map(([luid]) => luid)).toEqual([52, 54, 56, 58]);
    }));

    it('fills the sources\' part of the full-text index when the sources are first named', withStore((s) => {
      s.insertRecord(U(1), 'Bug', { live: true, props: { summary: 'a bug' }, heads: {} });
      s.insertRecord(U(2), 'Note', { live: true, props: { bug: U(1), text: 'a word' }, heads: {} });
      expect(pairs(s.textMatches('"word"', 'Bug', false))).toEqual([]);
      s.useTextSources([{ owner: 'Bug', type: 'Note', prop: 'bug' }]);
      expect(pairs(s.textMatches('"word"', 'Bug', false))).toEqual([[1, 0]]);
    }));

    it("notes each record's changesets once, in order", withStore((s) => {
      const luid = s.insertRecord(U(1), 'Bug');
      for (const seq of [3, 1, 3, 2]) s.noteRecordChange(luid, seq);
      expect(s.changeSeqsOfRecord(luid)).toEqual([1, 2, 3]);
    }));

    it('commits a transaction whole or not at all', withStore((s) => {
      expect(s.transaction(() => changeset(s, U(1), 1))).toBe(1);
      expect(() =>
        s.transaction(() => {
          changeset(s, U(1), 2);
          s.setMeta('k', 'v');
          throw new Error('stop');
        }),
      ).toThrow('stop');
      expect(s.latestSeq()).toBe(1);
      expect(s.getMeta('k')).toBeUndefined();
    }));

    it('reads what a transaction was told to expect as it stands when the transaction begins, and then as the transaction writes it', withStore((s) => {
      const state = (title: string): RecordWriteState => ({ live: true, props: { title }, heads: { title: [{ id: 1, value: title }] } });
      const kept = s.transaction(() => {
        changeset(s, U(9), 1);
        return s.insertRecord(U(1), 'Bug', state('before'));
      });
      const told = { records: [U(1), U(2)], changesets: [{ uuid: U(9), seq: 1 }, { uuid: U(9), seq: 2 }] };
      // Changed after being told, before the transaction: the transaction sees the change.
      s.expect?.(told);
      s.saveRecord(kept, state('changed meanwhile'), ['title']);
      s.transaction(() => {
        expect(s.recordWithHeads(U(1))?.props).toEqual({ title: 'changed meanwhile' });
        expect(s.recordWithHeads(U(2))).toBeUndefined();
        expect([s.seqOfOrigin(U(9), 1), s.seqOfOrigin(U(9), 2)]).toEqual([1, undefined]);
        s.saveRecord(kept, state('written inside'), ['title']);
        const added = s.insertRecord(U(2), 'Bug', state('new'));
        expect(changeset(s, U(9), 2)).toBe(2);
        expect(s.recordWithHeads(U(1))?.props).toEqual({ title: 'written inside' });
        expect(s.recordWithHeads(U(2))?.luid).toBe(added);
        expect(s.seqOfOrigin(U(9), 2)).toBe(2);
      });
      // Told, then undone: nothing of what the undone transaction read or wrote survives it.
      s.expect?.(told);
      expect(() =>
        s.transaction(() => {
          s.recordWithHeads(U(1));
          changeset(s, U(9), 3);
          s.saveRecord(kept, state('undone'), ['title']);
          throw new Error('undo');
        }),
      ).toThrow('undo');
      s.transaction(() => {
        expect(s.recordWithHeads(U(1))?.props).toEqual({ title: 'written inside' });
        expect(s.seqOfOrigin(U(9), 3)).toBeUndefined();
      });
    }));

    it('undoes a nested transaction caught inside an outer one, as seen from inside it and after', withStore((s) => {
      s.transaction(() => {
        changeset(s, U(1), 1);
        s.setMergeTicket(U(1), 1);
        expect([s.latestSeq(), s.getMergeTicket(U(1))]).toEqual([1, 1]);
        expect(() =>
          s.transaction(() => {
            changeset(s, U(1), 2);
            s.setMergeTicket(U(1), 2);
            expect([s.latestSeq(), s.getMergeTicket(U(1))]).toEqual([2, 2]);
            throw new Error('undo the inner part');
          }),
        ).toThrow('undo the inner part');
        expect([s.latestSeq(), s.getMergeTicket(U(1))]).toEqual([1, 1]);
        expect(changeset(s, U(2), 1)).toBe(2);
      });
      expect([s.latestSeq(), s.getMergeTicket(U(1)), s.seqOfOrigin(U(2), 1)]).toEqual([2, 1, 2]);
      expect(() =>
        s.transaction(() => {
          changeset(s, U(3), 1);
          s.setMergeTicket(U(3), 1);
          throw new Error('undo all');
        }),
      ).toThrow('undo all');
      expect([s.latestSeq(), s.getMergeTicket(U(3))]).toEqual([2, 0]);
    }));
  });
}
