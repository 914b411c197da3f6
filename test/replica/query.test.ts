import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError } from '../../src/prophet/model/query.js';
import { runQuery } from '../../src/prophet/replica/query.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import { undo } from '../../src/prophet/replica/undo.js';
import { initSdReplica } from '../../src/sd/model/app.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { newReplica, tempDir, testEnv } from '../helpers/temp-replica.js';

describe('the query parser', () => {
  it('reads every form into terms', () => {
    expect(parseQuery('crash "two words" log* -noise status:new,open owner:"Alice B" -component:ui due:<2027-01-01 created:>=7d priority:>2 summary~/^a\\/b/i -x~/y/ sort:-created limit:5')).toEqual({
      terms: [
        { kind: 'text', text: 'crash', phrase: false, prefix: false, negated: false, column: 1 },
        { kind: 'text', text: 'two words', phrase: true, prefix: false, negated: false, column: 7 },
        { kind: 'text', text: 'log', phrase: false, prefix: true, negated: false, column: 19 },
        { kind: 'text', text: 'noise', phrase: false, prefix: false, negated: true, column: 24 },
        { kind: 'prop', prop: 'status', op: ':', values: ['new', 'open'], negated: false, column: 31 },
        { kind: 'prop', prop: 'owner', op: ':', values: ['Alice B'], negated: false, column: 47 },
        { kind: 'prop', prop: 'component', op: ':', values: ['ui'], negated: true, column: 63 },
        { kind: 'prop', prop: 'due', op: '<', values: ['2027-01-01'], negated: false, column: 77 },
        { kind: 'prop', prop: 'created', op: '>=', values: ['7d'], negated: false, column: 93 },
        { kind: 'prop', prop: 'priority', op: '>', values: ['2'], negated: false, column: 106 },
        { kind: 'regex', prop: 'summary', pattern: '(?i)^a/b', negated: false, column: 118 },
        { kind: 'regex', prop: 'x', pattern: 'y', negated: true, column: 135 },
      ],
      sort: { prop: 'created', descending: true },
      limit: 5,
    });
    expect(parseQuery('  ')).toEqual({ terms: [] });
    expect(parseQuery('say "a \\"quoted\\" word"').terms[1]).toMatchObject({ text: 'a "quoted" word', phrase: true });
  });

  it('refuses malformed queries naming the column and what it expected', () => {
    const cases: Array<[string, string]> = [
      ['status:', `at column 8: expected a value after 'status:'`],
      ['status:a,', `at column 10: expected a value after ',' in 'status:'`],
      ['owner:""', `at column 7: expected a non-empty value after 'owner:'`],
      ['a "b', `at column 3: expected a closing " for the quote opened here`],
      ['"b"c', `at column 4: expected a space after the closing "`],
      ['due:>=tomorrow', `at column 7: expected a number, a date (2027-01-31) or an age (7d, 12h, 2w, 1y) after 'due:>='`],
      ['x~/a', `at column 3: expected a closing / for the regular expression opened here`],
      ['x~//', `at column 3: expected a regular expression between the slashes after 'x~'`],
      ['x~/a/g', `at column 6: expected a space after the closing / (the only flag is i)`],
      ['sort:', `at column 6: expected a property name after 'sort:' (sort:created, sort:-created, sort:relevance)`],
      ['-sort:x', `at column 1: expected no '-' before sort:`],
      ['limit:-1', `at column 7: expected a number after 'limit:'`],
      ['*', `at column 1: expected letters or digits before '*' (a '*' ends a word to match words starting so)`],
      ['- a', `at column 2: expected a word, a "phrase" or prop:value after '-'`],
    ];
    for (const [query, where] of cases) {
      expect(() => parseQuery(query), query).toThrow(QueryError);
      expect(() => parseQuery(query), query).toThrow(`bad query ${JSON.stringify(query)} ${where}`);
    }
  });
});

describe('queries in the library', () => {
  it('compares numbers as numbers, dates and ages as times, and sorts missing values last', () => {
    const r = newReplica();
    r.create('Bug', { n: '10', when: '2026-01-02 10:00:00', summary: 'ten' });
    r.create('Bug', { n: '9', when: '2026-01-01', summary: 'nine' });
    r.create('Bug', { n: 'many', summary: 'other', when: 'soon' });
    // Jan 2 04:30 UTC, though its date reads Jan 1: the index's range must not lose it.
    r.create('Bug', { when: '2026-01-01T23:30:00-05:00', summary: 'zoned' });
    const found = (q: string) => runQuery(r, 'Bug', q, { now: Date.parse('2026-01-03T00:00:00Z') }).records.map((x) => x.props.summary);
    expect(found('n:>9')).toEqual(['ten']);
    expect(found('n:<=10 sort:n')).toEqual(['nine', 'ten']);
    expect(found('when:>=2026-01-02')).toEqual(['ten', 'zoned']);
    expect(found('when:>=1d')).toEqual(['ten', 'zoned']);
    expect(found('when:<1d')).toEqual(['nine']);
    expect(found('when:<2026-01-02T04:30')).toEqual(['nine']);
    expect(found('when:<=2026-01-02T04:30')).toEqual(['nine', 'zoned']);
    expect(found('-when:<2026-01-02')).toEqual(['ten', 'other', 'zoned']);
    expect(found('sort:-n')).toEqual(['other', 'ten', 'nine', 'zoned']);
    expect(found('-n:9,10')).toEqual(['other', 'zoned']);
    expect(found('id:2')).toEqual(['nine']);
    const page = runQuery(r, 'Bug', 'sort:summary', { offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 4, records: [{ props: { summary: 'other' } }] });
  });

  it('answers from the property index alone what testing every record answers: comparisons, equalities, sorts, pages, deleted records, other types and values too long to hold whole', () => {
    const r = newReplica();
    const rand = seededRandom(13);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    // Cut short, each of these reads as a number, a date or a status; whole, as none.
    const long = (head: string) => `${head}${' '.repeat(300)}x`;
    const uuids: string[] = [];
    r.transaction(() => {
      for (let i = 0; i < 300; i++) {
        const props: Record<string, string> = { summary: `bug ${i}` };
        if (rand() < 0.9) props.n = pick(['1', '2', '10', '-3', '2.5', 'many', long('7')]);
        if (rand() < 0.9) props.when = pick(['2026-01-01', '2026-01-02 10:00:00', '2026-01-03T09:00:00+14:00', '2026-01-01T23:00:00-11:00', 'soon', long('2026-01-02')]);
        if (rand() < 0.9) props.status = pick(['new', 'open', 'closed', long('open')]);
        uuids.push(r.create(rand() < 0.8 ? 'Bug' : 'Task', props).uuid);
      }
    });
    for (const uuid of uuids.filter(() => rand() < 0.2)) {
      try {
        r.delete('Bug', uuid);
      } catch {
        r.delete('Task', uuid);
      }
    }
    // A condition the index cannot answer sends a query down the path that tests every candidate record.
    const everyRecordTested = [{ test: () => true }];
    const queries = ['n:>2', 'n:<=2 sort:n', 'n:>=-3 sort:-n limit:7', 'when:>=2026-01-02', 'when:<2026-01-02T20:00 sort:when', 'status:open,new when:>=2026-01-01 sort:-when', 'status:open n:<10 limit:5', 'status:closed sort:summary limit:9', 'when:>=2026-01-01 sort:status'];
    for (const q of queries) {
      for (const page of [{}, { offset: 3, limit: 4 }]) {
        const answer = (conditions?: typeof everyRecordTested) => {
          const { records, total } = runQuery(r, 'Bug', q, { ...page, conditions, now: Date.parse('2026-01-05T00:00:00Z') });
          return { q, page, total, summaries: records.map((x) => x.props.summary) };
        };
        const tested = answer(everyRecordTested);
        expect(tested.total, q).toBeGreaterThan(0);
        expect(answer()).toEqual(tested);
      }
    }
  });

  it('sorts what an app word expanding into no condition finds: every record', () => {
    const r = newReplica({ app: { name: 'test', recordTypes: [{ type: 'Bug', queryWords: { any: () => [] } }] } });
    for (const summary of ['b', 'c', 'a']) r.create('Bug', { summary });
    const found = (q: string) => runQuery(r, 'Bug', q).records.map((x) => x.props.summary);
    expect(found('any:x')).toEqual(['b', 'c', 'a']);
    expect(found('any:x sort:summary')).toEqual(['a', 'b', 'c']);
    // A NUL typed in a word is dropped, not passed to FTS5 (which would stop reading there).
    expect(found('a\u0000')).toEqual(['a']);
  });

  it('pages one word or phrase by relevance, tickets found only through their comments last (first when reversed), as ranking every match does', () => {
    const sd = initSdReplica(join(tempDir(), 'sd'), { env: testEnv() });
    const rand = seededRandom(7);
    const words = (n: number) => Array.from({ length: n }, () => ['alpha', 'beta', 'gamma', 'delta'][Math.floor(rand() * 4)]).join(' ');
    sd.transaction(() => {
      for (let i = 0; i < 80; i++) {
        const component = ['core', 'ui', 'docs', 'tests'][Math.floor(rand() * 4)]!;
        const t = sd.create('ticket', { summary: `t${i} ${words(1 + Math.floor(rand() * 4))}`, description: words(Math.floor(rand() * 12)), component });
        for (let c = Math.floor(rand() * 3); c > 0; c--) sd.create('comment', { ticket: t.uuid, content: words(3) });
      }
    });
    const everyRecordTested = [{ test: () => true }];
    for (const q of ['alpha', '"beta gamma"', 'del*', 'alpha sort:-relevance', 'alpha sort:relevance']) {
      for (const page of [{ offset: 0, limit: 5 }, { offset: 10, limit: 7 }, { offset: 60, limit: 30 }, { offset: 200, limit: 3 }]) {
        const answer = (conditions?: typeof everyRecordTested) => {
          const { records, total } = runQuery(sd, 'ticket', q, { ...page, conditions });
          return { q, page, total, ids: records.map((x) => x.luid) };
        };
        expect(answer()).toEqual(answer(everyRecordTested));
      }
    }
    expect(runQuery(sd, 'ticket', 'alpha').total).toBeGreaterThan(runQuery(sd, 'ticket', 'alpha -beta').total);
    // Narrowed first by an equality, to few tickets (each ranked by a lookup) or to many (ranked in one search): the same order.
    for (const [words, filter] of [['alpha', 'component:ui'], ['alpha', 'status:new'], ['"beta gamma"', 'status:new'], ['del*', 'component:core,docs']]) {
      const [prop, values] = filter!.split(':') as [string, string];
      const unfiltered = runQuery(sd, 'ticket', words!).records.filter((x) => values.split(',').includes(x.props[prop]!));
      expect(runQuery(sd, 'ticket', `${words} ${filter}`).records.map((x) => x.luid)).toEqual(unfiltered.map((x) => x.luid));
    }
  });

  it('narrows time ranges through the property index without losing times whose date is written in a far zone', () => {
    const r = newReplica();
    // Jan 2 19:00 UTC written as Jan 3, and Jan 2 10:00 UTC written as Jan 1.
    r.create('Bug', { when: '2026-01-03T09:00:00+14:00', summary: 'east' });
    r.create('Bug', { when: '2026-01-01T23:00:00-11:00', summary: 'west' });
    for (let day = 10; day < 30; day++) r.create('Bug', { when: `2026-01-${day}`, summary: `later ${day}` });
    const found = (q: string) => runQuery(r, 'Bug', q).records.map((x) => x.props.summary);
    expect(found('when:<2026-01-02T20:00')).toEqual(['east', 'west']);
    expect(found('when:<2026-01-02T11:00 when:>2026-01-02T09:00')).toEqual(['west']);
    expect(found('when:>=2026-01-02T18:00 when:<2026-01-11')).toEqual(['east', 'later 10']);
    expect(found('when:>2026-01-28')).toEqual(['later 29']);
  });

  it('finds a ticket by its comments and attachment names, and no longer once they are deleted or undone', () => {
    const sd = initSdReplica(join(tempDir(), 'sd'), { env: testEnv() });
    const t = sd.create('ticket', { summary: 'crash' });
    sd.create('ticket', { summary: 'other' });
    const c = sd.create('comment', { ticket: t.uuid, content: 'seen on the Zürich server' });
    sd.create('attachment', { ticket: t.uuid, name: 'core-dump.txt', content: 'x' });
    const found = (q: string) => runQuery(sd, 'ticket', q).records.map((x) => x.props.summary);
    expect(found('zurich')).toEqual(['crash']);
    expect(found('crash zurich')).toEqual(['crash']);
    expect(found('"core dump"')).toEqual(['crash']);
    expect(found('-zurich')).toEqual(['other']);
    // Narrowed by an equality first, the words are looked up for those tickets and their comments.
    expect(found('zurich status:new')).toEqual(['crash']);
    expect(found('zurich -crash status:new')).toEqual([]);
    expect(found('-zurich status:new')).toEqual(['other']);
    sd.delete('comment', c.uuid);
    expect(found('zurich')).toEqual([]);
    undo(sd, sd.latestSequenceNo());
    expect(found('zurich')).toEqual(['crash']);
    sd.update('comment', c.uuid, { content: 'seen in Genève' });
    expect(found('zurich')).toEqual([]);
    expect(found('geneve')).toEqual(['crash']);
  });

  it('writes a transaction\'s text as it commits: seen by searches inside it, undone with a savepoint that rolls back', () => {
    const r = newReplica();
    const found = (q: string) => runQuery(r, 'Bug', q).records.map((x) => x.props.summary);
    r.transaction(() => {
      const bug = r.create('Bug', { summary: 'bravo' });
      expect(found('bravo')).toEqual(['bravo']);
      r.create('Bug', { summary: 'delta' });
      // A savepoint that rolls back after a search inside it flushed its text.
      expect(() =>
        r.transaction(() => {
          r.update('Bug', bug.uuid, { summary: 'charlie' });
          r.create('Bug', { summary: 'echo' });
          expect(found('charlie')).toEqual(['charlie']);
          throw new Error('refused');
        }),
      ).toThrow('refused');
      // One that rolls back with its text still pending.
      expect(() =>
        r.transaction(() => {
          r.update('Bug', bug.uuid, { summary: 'foxtrot' });
          throw new Error('refused');
        }),
      ).toThrow('refused');
    });
    expect(found('bravo')).toEqual(['bravo']);
    expect(found('delta')).toEqual(['delta']);
    expect(found('charlie')).toEqual([]);
    expect(found('echo')).toEqual([]);
    expect(found('foxtrot')).toEqual([]);
    expect(() => r.transaction(() => {
      r.create('Bug', { summary: 'golf' });
      throw new Error('refused');
    })).toThrow('refused');
    r.create('Bug', { summary: 'hotel' });
    expect(found('golf')).toEqual([]);
    expect(found('hotel')).toEqual(['hotel']);
  });

  it('indexes a replica made before the full-text index when it is opened', () => {
    const root = join(tempDir(), 'old');
    const r = Replica.init(root, { env: testEnv() });
    r.create('Bug', { summary: 'ancient crash' });
    r.close();
    // What the previous schema (version 3) had: no full-text tables.
    const db = new Database(join(root, 'db.sqlite'));
    db.exec('DROP TABLE main_fulltext; DROP TABLE res_fulltext');
    db.pragma('user_version = 3');
    db.close();
    const reopened = Replica.open(root, { env: testEnv() });
    expect(runQuery(reopened, 'Bug', 'crash').records.map((x) => x.props.summary)).toEqual(['ancient crash']);
    reopened.close();
  });

  it('skips long values without spaces (payloads, keys) but indexes long prose', () => {
    const r = newReplica();
    r.create('Bug', { blob: `needle${'A'.repeat(300)}`, summary: 'x' });
    r.create('Bug', { notes: `${'word '.repeat(100)}needle`, summary: 'y' });
    expect(runQuery(r, 'Bug', 'needle*').records.map((x) => x.props.summary)).toEqual(['y']);
  });
});
