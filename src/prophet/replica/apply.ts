import { changesetId, parseChangesetId } from '../model/changeset.js';
import { BadDataError } from '../model/errors.js';
import { isInternalType, type ChangesetContent, type Properties } from '../model/types.js';
import { isConflicted, isLive, winningHead, type Head } from '../model/write-state.js';
import { sha256Hex } from '../model/hash.js';
import { ChangesetKind, EXISTENCE, type RecordHeads, type RecordState, type Store, type StoredHead } from '../store/store.js';

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

const NO_PREDECESSORS: ReadonlySet<number> = new Set();

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

  /** The local sequence numbers of the changesets a write names; an unseen one means the changeset arrived out of order. */
  private predSeqs(pred: readonly string[], writer: string): ReadonlySet<number> {
    if (pred.length === 0) return NO_PREDECESSORS;
    const seqs = new Set<number>();
    for (const id of pred) {
      const s = this.localSeq(id);
      if (s === undefined) throw new BadDataError(`changeset ${writer} builds on changeset ${id}, which this replica has not seen`);
      seqs.add(s);
    }
    return seqs;
  }

  private insertRecord(uuid: string, type: string, state?: RecordState): number {
    return this.store.insertRecord(uuid, type, state, isInternalType(type));
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
      const existing = this.store.recordWithHeads(uuid);
      if (existing && existing.type !== change.record_type) {
        throw new BadDataError(`changeset ${self.id} changes record ${uuid} as a '${change.record_type}', but it is a '${existing.type}'`);
      }
      if (kind === ChangesetKind.Nullification) {
        this.store.noteRecordChange(existing?.luid ?? this.insertRecord(uuid, change.record_type), seq);
        continue;
      }
      const heads: RecordHeads = existing?.heads ?? {};
      const props: Properties = { ...existing?.props };
      const changed: string[] = [];
      const write = (name: string, value: string | null, pred: string[]): Head[] | undefined => {
        const before = heads[name] ?? [];
        const replaced = this.predSeqs(pred, self.id);
        const kept = before.filter((h) => !replaced.has(h.seq));
        if (kept.length === 0) {
          heads[name] = [{ seq, value }];
          return undefined;
        }
        const all = [...this.toHeads(kept), { ...self, value }];
        const winner = winningHead(all)!;
        const stored = (h: Head): StoredHead => ({ seq: this.localSeq(h.id)!, value: h.value });
        heads[name] = [stored(winner), ...all.filter((h) => h !== winner).map(stored)];
        concurrent.push({ record_uuid: uuid, record_type: change.record_type, name, heads: all });
        return all;
      };

      const existence = write(EXISTENCE, change.change_type === 'delete' ? null : '1', change.pred);
      const live = existence ? isLive(existence) : change.change_type !== 'delete';
      for (const [name, pc] of Object.entries(change.prop_changes)) {
        write(name, pc.new_value || null, pc.pred);
        const shown = heads[name]![0]!.value;
        if ((props[name] ?? null) === shown) continue;
        changed.push(name);
        if (shown === null) delete props[name];
        else props[name] = shown;
      }
      const state = { live, props, heads };
      if (existing) {
        this.store.saveRecord(existing.luid, state, changed);
        this.store.noteRecordChange(existing.luid, seq);
      } else {
        this.store.noteRecordChange(this.insertRecord(uuid, change.record_type, state), seq);
      }
    }
    return { seq, hash, concurrent: concurrent.filter((c) => c.name !== EXISTENCE || isConflicted(c.heads)) };
  }
}
