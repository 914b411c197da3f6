/**
 * Issue 16's anchor benchmark: the 50,000-ticket anchor dataset
 * (bench/anchor-dataset.ts) bulk-created by Prophet's library, by PouchDB 9
 * (pouchdb-node with pouchdb-find) and by raw better-sqlite3, each in its
 * own child process, interleaved in one run, three rounds; medians and
 * ranges into bench/RESULTS.md. Run: npm run bench:anchor
 * (BENCH_ANCHOR_RECORDS, BENCH_ANCHOR_ROUNDS for a quick try)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnchorFigures, AnchorSystem } from './anchor-child.js';
import { ANCHOR_RECORDS, anchorDataset } from './anchor-dataset.js';
import { bundleChild, mib, spread, withPeakRss, withTempDir } from './measure.js';
import { writeResults } from './results.js';

const ROUNDS = Number(process.env.BENCH_ANCHOR_ROUNDS ?? 3);
const RECORDS = Number(process.env.BENCH_ANCHOR_RECORDS ?? ANCHOR_RECORDS);
const SYSTEMS: AnchorSystem[] = ['prophet', 'pouchdb', 'sqlite'];
const NAMES: Record<AnchorSystem, string> = { 'dataset only': 'dataset only', prophet: 'Prophet (library)', pouchdb: 'PouchDB 9', sqlite: 'raw SQLite' };

function runChild(child: string, system: AnchorSystem, dataset: string, tmp: string): AnchorFigures {
  const dir = mkdtempSync(join(tmp, `${system.replace(' ', '-')}-`));
  try {
    const measured = withPeakRss([child, system, dataset, dir], process.env);
    const r = spawnSync(process.execPath, measured.argv, { env: measured.env, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`${system} failed: ${r.stderr}`);
    return { ...(JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Omit<AnchorFigures, 'maxRss'>), maxRss: measured.usage().maxRss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function range(values: number[], show: (n: number) => string): string {
  const s = spread(values);
  return ROUNDS > 1 ? `${show(s.median)} (${show(s.min)}–${show(s.max)})` : show(s.median);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number) => `${ms.toFixed(0)} ms`;

withTempDir((tmp) => {
  const { json, sha256 } = anchorDataset(RECORDS);
  const dataset = join(tmp, 'anchor.json');
  writeFileSync(dataset, json);
  console.log(`anchor dataset: ${RECORDS} records, ${(json.length / 1e6).toFixed(1)} MB as JSON, sha256 ${sha256}`);
  const child = bundleChild('anchor-child');
  const figures = new Map<AnchorSystem, AnchorFigures[]>([['dataset only', []], ...SYSTEMS.map((s): [AnchorSystem, AnchorFigures[]] => [s, []])]);
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with a different system, so none always runs on the coolest (or hottest) machine.
    const order: AnchorSystem[] = ['dataset only', ...SYSTEMS.slice(round % SYSTEMS.length), ...SYSTEMS.slice(0, round % SYSTEMS.length)];
    for (const system of order) {
      const f = runChild(child, system, dataset, tmp);
      console.log(`round ${round + 1}: ${system}`, f);
      figures.get(system)!.push(f);
    }
  }
  const of = (s: AnchorSystem, k: keyof AnchorFigures) => figures.get(s)!.map((f) => f[k]);
  const hits = new Set(SYSTEMS.flatMap((s) => of(s, 'hits')));
  if (hits.size !== 1) throw new Error(`the systems disagree on the status query: ${[...hits].join(', ')} hits`);
  const ratio = (a: AnchorSystem, b: AnchorSystem) => (spread(of(a, 'createMs')).median / spread(of(b, 'createMs')).median).toFixed(2);
  const rows: Array<[string, string]> = [
    ['dataset', `${RECORDS.toLocaleString('en')} tickets × 10 string properties, ${(json.length / 1e6).toFixed(1)} MB as JSON (bench/anchor-dataset.ts, seed 16), sha256 \`${sha256.slice(0, 16)}…\``],
    ['rounds', `${ROUNDS}, each system in its own process, interleaved; median (min–max)`],
    ...SYSTEMS.map((s): [string, string] => [`bulk create, 1,000 per changeset / bulkDocs batch / transaction: ${NAMES[s]}`, range(of(s, 'createMs'), seconds)]),
    ['Prophet\'s create against raw SQLite / PouchDB', `${ratio('prophet', 'sqlite')}× / ${ratio('prophet', 'pouchdb')}×`],
    ...SYSTEMS.map((s): [string, string] => [`size on disk after create (closed, so checkpointed): ${NAMES[s]}`, range(of(s, 'bytes'), mib)]),
    ['peak memory (max RSS of the child) with the dataset loaded, nothing else', range(of('dataset only', 'maxRss'), mib)],
    ...SYSTEMS.map((s): [string, string] => [`peak memory (max RSS of the child): ${NAMES[s]}`, range(of(s, 'maxRss'), mib)]),
    ...SYSTEMS.map((s): [string, string] => [`status = open (${[...hits][0]} whole records), median of 5: ${NAMES[s]}`, range(of(s, 'queryMs'), millis)]),
  ];
  writeResults('anchor', `Anchor: Prophet, PouchDB 9 and raw SQLite on the same ${RECORDS.toLocaleString('en')} tickets (issue 16)`, rows);
});
