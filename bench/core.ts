/**
 * Issue 2's benchmark: bulk creation of 50,000 records of ~10 properties
 * through the library, next to raw SQLite inserts of the same data, then
 * reads by id and a property-filter query. Run: npm run bench:core
 */
import { join } from 'node:path';
import { Replica } from '../src/prophet/replica/replica.js';
import { search } from '../src/prophet/replica/search.js';
import { median, mib, PeakMemory, seededRandom, time, withTempDir } from './measure.js';
import { rawSqliteCreate } from './raw-sqlite.js';
import { writeResults } from './results.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 50_000);
const BATCH = 1_000;
const STATUSES = ['new', 'open', 'stalled', 'closed', 'rejected'];

function makeProps(i: number, rand: () => number): Record<string, string> {
  return {
    summary: `Record ${i}: something is not right ${Math.floor(rand() * 1e6)}`,
    status: STATUSES[Math.floor(rand() * STATUSES.length)]!,
    owner: `user${Math.floor(rand() * 50)}@example.com`,
    component: `component-${Math.floor(rand() * 20)}`,
    milestone: `1.${Math.floor(rand() * 10)}`,
    priority: String(Math.floor(rand() * 5)),
    reporter: `reporter${Math.floor(rand() * 200)}@example.com`,
    due: `2027-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
    tags: rand() < 0.5 ? 'ui backend' : 'sync',
    description: 'A longer description of the problem, with enough words to look like a real report.',
  };
}

function main(): void {
  const rand = seededRandom(42);
  const data = Array.from({ length: RECORDS }, (_, i) => makeProps(i, rand));
  withTempDir((dir) => {
    const raw = rawSqliteCreate(join(dir, 'raw.sqlite'), data, BATCH);
    raw.db.close();
    const rawMs = raw.ms;
    const replica = Replica.init(join(dir, 'replica'), { env: { HOME: dir, PROPHET_EMAIL: 'bench@example.com' } });
    const memory = new PeakMemory();
    const uuids: string[] = [];
    const create = time(() => {
      for (let start = 0; start < data.length; start += BATCH) {
        replica.edit((e) => {
          for (const props of data.slice(start, start + BATCH)) uuids.push(e.create('Bug', props));
        });
      }
    });
    const peak = memory.stop();
    const pick = seededRandom(7);
    const reads = 10_000;
    const byUuid = time(() => {
      for (let i = 0; i < reads; i++) replica.get(uuids[Math.floor(pick() * uuids.length)]!);
    });
    const byLuid = time(() => {
      for (let i = 0; i < reads; i++) replica.get(String(1 + Math.floor(pick() * uuids.length)));
    });
    const openCount = search(replica, 'Bug', { criteria: [{ prop: 'status', cmp: '=', value: 'open' }] }).length;
    const filterMs = median(9, () => search(replica, 'Bug', { criteria: [{ prop: 'status', cmp: '=', value: 'open' }] }));
    const narrowMs = median(9, () => search(replica, 'Bug', { criteria: [{ prop: 'owner', cmp: '=', value: 'user7@example.com' }, { prop: 'status', cmp: '!=', value: 'closed' }] }));
    const regexMs = median(3, () => search(replica, 'Bug', { regex: 'Record 4999\\d:' }));
    const rate = (RECORDS / create.ms) * 1000;
    const rawRate = (RECORDS / rawMs) * 1000;
    const rows: Array<[string, string]> = [
      ['records created', `${RECORDS} × 10 properties, ${BATCH} per changeset`],
      ['raw SQLite inserts (record + property rows)', `${rawRate.toFixed(0)} records/s (${rawMs.toFixed(0)} ms)`],
      ['prophet library create', `${rate.toFixed(0)} records/s (${create.ms.toFixed(0)} ms), ${(rawRate / rate).toFixed(2)}× raw`],
      ['peak RSS during create', mib(peak)],
      ['get by uuid', `${((reads / byUuid.ms) * 1000).toFixed(0)} reads/s`],
      ['get by local id', `${((reads / byLuid.ms) * 1000).toFixed(0)} reads/s`],
      [`filter status=open (${openCount} hits)`, `${filterMs.toFixed(1)} ms (median of 9)`],
      ['filter owner=X and status!=closed', `${narrowMs.toFixed(1)} ms (median of 9)`],
      ['regex over every value (full scan)', `${regexMs.toFixed(1)} ms (median of 3)`],
    ];
    replica.close();
    writeResults('core', 'Core: bulk create and query (issue 2)', rows);
  });
}

main();
