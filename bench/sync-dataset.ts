/**
 * The sync benchmark's replica: 50,000 records and 500,000 property
 * changes, one changeset per create or update, as a real log has them.
 * Shared by bench/sync.ts and bench/http.ts so both measure the same data.
 */
import { join } from 'node:path';
import { changesetId, nowTimestamp, serializeChangeset } from '../src/prophet/model/changeset.js';
import type { Change, ChangesetContent } from '../src/prophet/model/types.js';
import { newUuid } from '../src/prophet/model/uuid.js';
import type { SigningKey } from '../src/prophet/replica/keys.js';
import { Replica } from '../src/prophet/replica/replica.js';
import { seededRandom } from './measure.js';

export const RECORDS = Number(process.env.BENCH_RECORDS ?? 50_000);
const CREATE_PROPS = 6;
const UPDATE_PROPS = 4;
export const env = { HOME: '/nonexistent', PROPHET_EMAIL: 'bench@example.com' };

/**
 * Appends changesets straight through the replica's applier, many per
 * transaction: building the source is not what is measured.
 */
export class LogWriter {
  /** Per record: the id of the changeset that last wrote it. */
  readonly last: Array<{ uuid: string; writer: string }> = [];

  /** With a key, every changeset is signed by it, as the author's replica signs its edits. */
  constructor(
    private readonly replica: Replica,
    private readonly key?: SigningKey,
  ) {}

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
    if (this.key) {
      const body = serializeChangeset(content);
      this.replica.changesetWriter().apply(content, body, undefined, this.key.sign(body));
    } else this.replica.applyContent(content);
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

/**
 * The dataset in `dir`; with `key`, every changeset signed by it (the
 * benchmark of signing compares both). Of `records` records, it has twice
 * as many changesets: one create and, on average, one update each.
 */
export function build(dir: string, key?: SigningKey, records = RECORDS): { source: Replica; writer: LogWriter; propertyChanges: number } {
  const source = Replica.init(join(dir, 'source'), { env });
  const writer = new LogWriter(source, key);
  const rand = seededRandom(3);
  const updates = Math.ceil((records * 10 - records * CREATE_PROPS) / UPDATE_PROPS);
  for (let i = 0; i < records; i += 1000) source.transaction(() => {
    for (let j = i; j < Math.min(records, i + 1000); j++) writer.create(rand);
  });
  for (let i = 0; i < updates; i += 1000) source.transaction(() => {
    for (let j = i; j < Math.min(updates, i + 1000); j++) writer.update(rand);
  });
  return { source, writer, propertyChanges: records * CREATE_PROPS + updates * UPDATE_PROPS };
}

