/**
 * One system's share of the anchor benchmark, in its own process so its
 * peak memory is its own: loads the dataset, bulk-creates it, closes (a
 * checkpoint for SQLite), reopens and times the status query. Bundled and
 * run with plain node by bench/anchor.ts; prints one line of JSON.
 * Usage: anchor-child.mjs SYSTEM DATASET.json DIR
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Replica } from '../src/prophet/replica/replica.js';
import { search } from '../src/prophet/replica/search.js';
import { bytesUnder, median, spread, time } from './measure.js';
import { rawSqliteCreate, rawSqliteWhere } from './raw-sqlite.js';

export type AnchorSystem = 'dataset only' | 'prophet' | 'pouchdb' | 'sqlite';

export interface AnchorFigures {
  createMs: number;
  bytes: number;
  queryMs: number;
  hits: number;
  maxRss: number;
}

const BATCH = 1_000;
/** The status query every system answers: whole records whose status is open. */
const QUERY = { prop: 'status', value: 'open' };
const QUERY_RUNS = 5;

function batches<T>(data: T[]): T[][] {
  return Array.from({ length: Math.ceil(data.length / BATCH) }, (_, i) => data.slice(i * BATCH, (i + 1) * BATCH));
}

function prophet(dir: string, data: Array<Record<string, string>>): Omit<AnchorFigures, 'maxRss'> {
  const opts = { env: { HOME: dir, PROPHET_EMAIL: 'bench@example.com' } };
  const root = join(dir, 'replica');
  const writer = Replica.init(root, opts);
  const { ms } = time(() => {
    for (const batch of batches(data)) writer.edit((e) => batch.forEach((props) => e.create('ticket', props)));
  });
  writer.close();
  const bytes = bytesUnder(root);
  const reader = Replica.open(root, opts);
  const query = () => search(reader, 'ticket', { criteria: [{ prop: QUERY.prop, cmp: '=', value: QUERY.value }] });
  const hits = query().length;
  const queryMs = median(QUERY_RUNS, query);
  reader.close();
  return { createMs: ms, bytes, queryMs, hits };
}

async function pouchdb(dir: string, data: Array<Record<string, string>>): Promise<Omit<AnchorFigures, 'maxRss'>> {
  const { default: PouchDB } = await import('pouchdb-node');
  const { default: find } = await import('pouchdb-find');
  PouchDB.plugin(find);
  const db = new PouchDB(join(dir, 'pouch'));
  const start = process.hrtime.bigint();
  for (const batch of batches(data)) await db.bulkDocs(batch.map((props) => ({ ...props })));
  const createMs = Number(process.hrtime.bigint() - start) / 1e6;
  // pouchdb-find needs an index to answer without reading every document; it is built here, outside the create's time.
  await db.createIndex({ index: { fields: [QUERY.prop] } });
  const query = () => db.find({ selector: { [QUERY.prop]: QUERY.value }, limit: data.length });
  const hits = (await query()).docs.length;
  const times: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t = process.hrtime.bigint();
    await query();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await db.close();
  return { createMs, bytes: bytesUnder(join(dir, 'pouch')), queryMs: spread(times).median, hits };
}

function sqlite(dir: string, data: Array<Record<string, string>>): Omit<AnchorFigures, 'maxRss'> {
  const file = join(dir, 'raw.sqlite');
  const { db, ms } = rawSqliteCreate(file, data, BATCH);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = bytesUnder(dir);
  const hits = rawSqliteWhere(db, QUERY.prop, QUERY.value).length;
  const queryMs = median(QUERY_RUNS, () => rawSqliteWhere(db, QUERY.prop, QUERY.value));
  db.close();
  return { createMs: ms, bytes, queryMs, hits };
}

async function run(system: AnchorSystem, dir: string, data: Array<Record<string, string>>): Promise<Omit<AnchorFigures, 'maxRss'>> {
  if (system === 'prophet') return prophet(dir, data);
  if (system === 'pouchdb') return pouchdb(dir, data);
  if (system === 'sqlite') return sqlite(dir, data);
  return { createMs: 0, bytes: 0, queryMs: 0, hits: 0 };
}

const [system, datasetFile, dir] = process.argv.slice(2) as [AnchorSystem, string, string];
const data = JSON.parse(readFileSync(datasetFile, 'utf8')) as Array<Record<string, string>>;
const figures = await run(system, dir, data);
// Its peak memory is read from outside (bench/measure.ts withPeakRss).
console.log(JSON.stringify(figures));
