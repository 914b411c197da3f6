import { changesetId, parseChangesetId } from '../model/changeset.js';
import { BadDataError } from '../model/errors.js';
import type { ChangesetContent, Properties } from '../model/types.js';
import { applyWrite, isConflicted, isLive, winningHead, type Head } from '../model/write-state.js';
import { sha256Hex } from '../model/hash.js';
import { ChangesetKind, EXISTENCE, type Store, type StoredHead } from '../store/store.js';

/** A property (or, with name '', a record's existence) left with concurrent heads. */
export interface ConcurrentWrite {
  record_uuid: string;
  record_type: string;
  name: string;
  heads: Head[];
}

export interface AppliedChangeset {
  seq: number;
  hash: string;
  concurrent: ConcurrentWrite[];
}

export function kindOf(content: ChangesetContent): ChangesetKind {
  if (content.is_nullification) return ChangesetKind.Nullification;
  if (content.is_resolution) return ChangesetKind.Resolution;
  return ChangesetKind.Normal;
}

/**
 * Writes a changeset into a store: appends it to the log and folds each
 * property write into the record state. The caller holds the transaction.
 * Nullifications are log entries only: they never change the write state,
 * which is why they need not travel.
 */
export class ChangesetApplier {
  private readonly idToSeq = new Map<string, number>();
  private readonly seqToHead = new Map<number, { id: string; created: string }>();

  constructor(private readonly store: Store) {}

  /** The local sequence number of a changeset named by its global id. */
  localSeq(id: string): number | undefined {
    let seq = this.idToSeq.get(id);
    if (seq === undefined) {
      const { uuid, seq: originSeq } = parseChangesetId(id);
      seq = this.store.seqOfOrigin(uuid, originSeq);
      if (seq !== undefined) this.idToSeq.set(id, seq);
    }
    return seq;
  }

  /** The global id and time of the changeset stored at a local sequence number. */
  globalHead(seq: number): { id: string; created: string } {
    let head = this.seqToHead.get(seq);
    if (!head) {
      const row = this.store.changesetBySeq(seq);
      if (!row) throw new Error(`changeset ${seq} is named as a head but is not in the log`);
      head = { id: changesetId(row.origin_uuid, row.origin_seq), created: row.created };
      this.seqToHead.set(seq, head);
    }
    return head;
  }

  toHeads(stored: StoredHead[]): Head[] {
    return stored.map((h) => ({ ...this.globalHead(h.seq), value: h.value }));
  }

  apply(content: ChangesetContent, body: string, hash = sha256Hex(body)): AppliedChangeset {
    const kind = kindOf(content);
    const seq = this.store.appendChangeset({
      origin_uuid: content.original_source_uuid,
      origin_seq: content.original_sequence_no,
      created: content.created,
      kind,
      hash,
      body,
    });
    const self = { id: changesetId(content.original_source_uuid, content.original_sequence_no), created: content.created };
    this.idToSeq.set(self.id, seq);
    this.seqToHead.set(seq, self);
    const concurrent: ConcurrentWrite[] = [];

    for (const [uuid, change] of Object.entries(content.changes)) {
      let record = this.store.recordByUuid(uuid);
      const fresh = !record;
      if (!record) {
        const luid = this.store.insertRecord(uuid, change.record_type);
        record = { luid, uuid, type: change.record_type, live: false, props: {} };
      } else if (record.type !== change.record_type) {
        throw new BadDataError(
          `changeset ${self.id} changes record ${uuid} as a '${change.record_type}', but it is a '${record.type}'`,
        );
      }
      this.store.noteRecordChange(record.luid, seq);
      if (kind === ChangesetKind.Nullification) continue;

      const props: Properties = { ...record.props };
      const write = (name: string, value: string | null, pred: string[]): Head[] => {
        if (fresh && pred.length === 0) {
          this.store.addFirstHead(record.luid, name, { seq, value });
          return [{ ...self, value }];
        }
        const predSeqs = new Set<number>();
        for (const id of pred) {
          const s = this.localSeq(id);
          if (s === undefined) {
            throw new BadDataError(`changeset ${self.id} builds on changeset ${id}, which this replica has not seen`);
          }
          predSeqs.add(s);
        }
        const stored = this.store.heads(record.luid, name);
        const kept = stored.filter((h) => !predSeqs.has(h.seq));
        if (kept.length === 0) {
          this.store.setHeads(record.luid, name, { seq, value }, [], stored.length > 1);
          return [{ ...self, value }];
        }
        const result = applyWrite(this.toHeads(kept), { ...self, value }, []);
        const winner = winningHead(result.heads)!;
        const bySeq = (h: Head) => this.localSeq(h.id)!;
        this.store.setHeads(
          record.luid,
          name,
          { seq: bySeq(winner), value: winner.value },
          result.heads.filter((h) => h !== winner).map((h) => ({ seq: bySeq(h), value: h.value })),
          stored.length > 1,
        );
        concurrent.push({ record_uuid: uuid, record_type: change.record_type, name, heads: result.heads });
        return result.heads;
      };

      const existence = write(EXISTENCE, change.change_type === 'delete' ? null : '1', change.pred);
      for (const [name, pc] of Object.entries(change.prop_changes)) {
        const heads = write(name, pc.new_value === '' ? null : pc.new_value, pc.pred);
        const shown = winningHead(heads)!.value;
        if (shown === null) delete props[name];
        else props[name] = shown;
      }
      this.store.setRecordState(record.luid, isLive(existence), props);
    }
    return { seq, hash, concurrent: concurrent.filter((c) => c.name !== EXISTENCE || isConflicted(c.heads)) };
  }
}
