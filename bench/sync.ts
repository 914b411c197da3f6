/**
 * Issue 3's benchmark: clone of a replica holding 50,000 records and
 * 500,000 property changes (one changeset per create, one per update, as
 * a real log has them), a pull of 1,000 new changesets into the clone, and
 * a no-op pull. Run: npm run bench:sync
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changesetId, nowTimestamp } from '../src/prophet/model/changeset.js';
import type { Change, ChangesetContent } from '../src/prophet/model/types.js';
import { newUuid } from '../src/prophet/model/uuid.js';
import { Replica } from '../src/prophet/replica/replica.js';
import { merge } from '../src/prophet/sync/merge.js';
import { LocalReplicaSource } from '../src/prophet/transports/local-source.js';
import { mib, PeakMemory, seededRandom } from './measure.js';
import { writeResults } from './results.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 50_000);
const CREATE_PROPS = 6;
const UPDATE_PROPS = 4;
const PULLED = 1_000;
const env = { HOME: '/nonexistent', PROPHET_EMAIL: 'bench@example.com' };

/**
 * Appends changesets straight through the replica's applier, many per
 * transaction: building the source is not what is measured.
 */
class LogWriter {
  /** Per record: the id of the changeset that last wrote it. */
  readonly last: Array<{ uuid: string; writer: string }> = [];

  constructor(private readonly replica: Replica) {}

  private append(changes: Record<string, Change>): string {
    const content: ChangesetContent = {
      original_source_uuid: this.replica.uuid,
      original_sequence_no: this.replica.latestSequenceNo() + 1,
      creator: 'bench@example.com',
      created: nowTimestamp(),
      is_nullification: false,
      is_resolution: false,
      changes,
    };
    this.replica.applyContent(content);
    return changesetId(content.original_source_uuid, content.original_sequence_no);
  }

  create(rand: () => number): void {
    const uuid = newUuid();
    const prop_changes = Object.fromEntries(
      Array.from({ length: CREATE_PROPS }, (_, i) => [`p${i}`, { old_value: null, new_value: `value ${i} ${Math.floor(rand() * 1e6)}`, pred: [] }]),
    );
    const writer = this.append({ [uuid]: { record_type: 'Bug', change_type: 'add', pred: [], prop_changes } });
    this.last.push({ uuid, writer });
  }

  /** Every update writes properties the record's last changeset wrote, naming it. */
  update(rand: () => number): void {
    const r = this.last[Math.floor(rand() * this.last.length)]!;
    const prop_changes = Object.fromEntries(
      Array.from({ length: UPDATE_PROPS }, (_, i) => [`p${i}`, { old_value: null, new_value: `changed ${Math.floor(rand() * 1e6)}`, pred: [r.writer] }]),
    );
    r.writer = this.append({ [r.uuid]: { record_type: 'Bug', change_type: 'update', pred: [r.writer], prop_changes } });
  }
}

function build(dir: string): { source: Replica; writer: LogWriter; propertyChanges: number } {
  const source = Replica.init(join(dir, 'source'), { env });
  const writer = new LogWriter(source);
  const rand = seededRandom(3);
  const updates = Math.ceil((RECORDS * 10 - RECORDS * CREATE_PROPS) / UPDATE_PROPS);
  for (let i = 0; i < RECORDS; i += 1000) source.transaction(() => {
    for (let j = i; j < Math.min(RECORDS, i + 1000); j++) writer.create(rand);
  });
  for (let i = 0; i < updates; i += 1000) source.transaction(() => {
    for (let j = i; j < Math.min(updates, i + 1000); j++) writer.update(rand);
  });
  return { source, writer, propertyChanges: RECORDS * CREATE_PROPS + updates * UPDATE_PROPS };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const dir = mkdtempSync(join(tmpdir(), 'prophet-bench-sync-'));
try {
  const { source, writer, propertyChanges } = build(dir);
  const changesets = source.latestSequenceNo();
  const target = Replica.init(join(dir, 'clone'), { env, databaseUuid: source.databaseUuid, resdbDatabaseUuid: source.resdb.databaseUuid, withoutSettings: true });

  const memory = new PeakMemory();
  const rssBefore = process.memoryUsage().rss;
  const clone = await timed(() => merge(LocalReplicaSource.of(source), target));
  const peak = memory.stop();

  const rand = seededRandom(5);
  source.transaction(() => {
    for (let i = 0; i < PULLED; i++) writer.update(rand);
  });
  const pull = await timed(() => merge(LocalReplicaSource.of(source), target));

  const noops: number[] = [];
  for (let i = 0; i < 9; i++) noops.push((await timed(() => merge(LocalReplicaSource.of(source), target))).ms);
  const noop = noops.sort((a, b) => a - b)[4]!;

  writeResults('sync', 'Sync: clone, pull, no-op pull (issue 3)', [
    ['source replica', `${RECORDS} records, ${propertyChanges} property changes in ${changesets} changesets (one per create or update)`],
    ['clone (empty target + merge)', `${clone.value.changesets.integrated} changesets in ${clone.ms.toFixed(0)} ms = ${Math.round((clone.value.changesets.integrated / clone.ms) * 1000)} changesets/s`],
    ['peak RSS during clone', `${mib(peak)} (${mib(rssBefore)} before)`],
    [`pull of ${PULLED} new changesets into the clone`, `${pull.ms.toFixed(0)} ms = ${Math.round((pull.value.changesets.integrated / pull.ms) * 1000)} changesets/s`],
    ['no-op pull', `${noop.toFixed(2)} ms (median of 9)`],
  ]);
  source.close();
  target.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
