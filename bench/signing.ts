/**
 * Issue 9's benchmark: what signed changesets cost. Creating records with
 * signing on and off (PROPHET_SIGNING=off), one record per changeset (a
 * signature each: the worst case) and 1,000 per changeset; a clone of the
 * sync benchmark's log signed and unsigned; a pull of 1,000 signed
 * changesets into a replica with `trust optional` (signatures stored,
 * checked when shown) and with `trust require` (each one verified); and
 * checking every signature of the cloned log, as `log --all` would.
 * Run: npm run bench:signing (BENCH_RECORDS scales the clone).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '../src/prophet/replica/key-ring.js';
import { UserKeys } from '../src/prophet/replica/keys.js';
import { Replica } from '../src/prophet/replica/replica.js';
import { addTrustedKey, setTrustPolicy } from '../src/prophet/replica/trust-list.js';
import { cloneFromSource } from '../src/prophet/replication/operations.js';
import { merge } from '../src/prophet/sync/merge.js';
import { LocalReplicaSource } from '../src/prophet/transports/local-source.js';
import { seededRandom, time } from './measure.js';
import { writeResults } from './results.js';
import { build } from './sync-dataset.js';

const SINGLE = Number(process.env.BENCH_SINGLE ?? 3_000);
const BULK = Number(process.env.BENCH_BULK ?? 20_000);
const PULLED = 1_000;
/** Each comparison runs this many times, off and on alternating; the best of each counts. */
const ROUNDS = 3;
const EMAIL = 'bench@example.com';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const dir = mkdtempSync(join(tmpdir(), 'prophet-bench-signing-'));
const home = join(dir, 'home');
mkdirSync(home);
const signingOn = { HOME: home, PROPHET_EMAIL: EMAIL };
const signingOff = { ...signingOn, PROPHET_SIGNING: 'off' };

/** Creates `count` records, `perChangeset` to a changeset, and returns the milliseconds. */
function create(name: string, env: NodeJS.ProcessEnv, count: number, perChangeset: number): number {
  const replica = Replica.init(join(dir, name), { env });
  const props = (i: number) => ({ summary: `record ${i}`, status: 'new', owner: `user${i % 50}@example.com`, component: 'core', priority: String(i % 5) });
  const { ms } = time(() => {
    for (let start = 0; start < count; start += perChangeset) {
      replica.edit((e) => {
        for (let i = start; i < Math.min(count, start + perChangeset); i++) e.create('Bug', props(i));
      });
    }
  });
  replica.close();
  return ms;
}

const slower = (on: number, off: number) => `${(((on - off) / off) * 100).toFixed(0)}%`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000)}/s`;

try {
  // Made before timing: the first signed change otherwise pays for making the key.
  const key = new UserKeys(signingOn).currentOrNew(EMAIL)!;
  const rows: Array<[string, string]> = [];

  // Off and on alternate, three times, and each keeps its best run: the shared
  // machine's other load then falls on both alike.
  const creates = { singleOff: Infinity, singleOn: Infinity, bulkOff: Infinity, bulkOn: Infinity };
  for (let run = 0; run < ROUNDS; run++) {
    creates.singleOff = Math.min(creates.singleOff, create(`single-off-${run}`, signingOff, SINGLE, 1));
    creates.singleOn = Math.min(creates.singleOn, create(`single-on-${run}`, signingOn, SINGLE, 1));
    creates.bulkOff = Math.min(creates.bulkOff, create(`bulk-off-${run}`, signingOff, BULK, 1000));
    creates.bulkOn = Math.min(creates.bulkOn, create(`bulk-on-${run}`, signingOn, BULK, 1000));
  }
  const { singleOff, singleOn, bulkOff, bulkOn } = creates;
  rows.push([`create, 1 record per changeset (${SINGLE})`, `off ${singleOff.toFixed(0)} ms (${rate(SINGLE, singleOff)}), on ${singleOn.toFixed(0)} ms (${rate(SINGLE, singleOn)}): ${slower(singleOn, singleOff)} slower`]);
  rows.push([`create, 1,000 records per changeset (${BULK})`, `off ${bulkOff.toFixed(0)} ms (${rate(BULK, bulkOff)}), on ${bulkOn.toFixed(0)} ms (${rate(BULK, bulkOn)}): ${slower(bulkOn, bulkOff)} slower`]);

  for (const sub of ['plain', 'signed']) mkdirSync(join(dir, sub));
  const plain = build(join(dir, 'plain'));
  const signed = build(join(dir, 'signed'), key);
  const changesets = signed.source.latestSequenceNo();
  let clonePlain = Infinity;
  let cloneSigned = Infinity;
  let target: Replica | undefined;
  for (let run = 0; run < ROUNDS; run++) {
    const p = await timed(() => cloneFromSource(LocalReplicaSource.of(plain.source), join(dir, `clone-plain-${run}`), { env: signingOff }));
    p.value.replica.close();
    clonePlain = Math.min(clonePlain, p.ms);
    const s = await timed(() => cloneFromSource(LocalReplicaSource.of(signed.source), join(dir, `clone-signed-${run}`), { env: signingOn }));
    target?.close();
    target = s.value.replica;
    cloneSigned = Math.min(cloneSigned, s.ms);
  }
  rows.push([`clone of ${changesets} changesets (trust optional: signatures stored, not checked)`, `unsigned ${clonePlain.toFixed(0)} ms (${rate(changesets, clonePlain)}), signed ${cloneSigned.toFixed(0)} ms (${rate(changesets, cloneSigned)}): ${slower(cloneSigned, clonePlain)} slower`]);

  const rand = seededRandom(9);
  const more = () => signed.source.transaction(() => {
    for (let i = 0; i < PULLED; i++) signed.writer.update(rand);
  });
  more();
  const into = target!;
  const optional = await timed(() => merge(LocalReplicaSource.of(signed.source), into));
  setTrustPolicy(into, 'require');
  addTrustedKey(into, key);
  more();
  const required = await timed(() => merge(LocalReplicaSource.of(signed.source), into));
  rows.push([`pull of ${PULLED} signed changesets`, `trust optional ${optional.ms.toFixed(0)} ms, trust require (each verified) ${required.ms.toFixed(0)} ms: ${slower(required.ms, optional.ms)} slower`]);

  const ring = new KeyRing(into);
  const all = into.latestSequenceNo();
  const verify = time(() => {
    for (const cs of into.changesets()) ring.checkStored(cs);
  });
  rows.push([`checking every signature of the clone (${all}), as log --all does`, `${(verify.ms / 1000).toFixed(1)} s = ${rate(all, verify.ms)}`]);

  writeResults('signing', 'Signing: signed changesets on and off (issue 9)', rows);
  for (const r of [plain.source, signed.source, target!]) r.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
