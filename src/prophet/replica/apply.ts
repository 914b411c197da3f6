import { changesetId, parseChangesetId } from '../model/changeset.js';
import { BadDataError, ProphetError } from '../model/errors.js';
import { isInternalType, type Change, type ChangesetContent, type Properties } from '../model/types.js';
import { applyWrite, EXISTENCE, isConflicted, isLive, winningHead, writesOf, type Head } from '../model/write-state.js';
import { sha256Hex } from '../model/hash.js';
import { ChangesetKind, type RecordHeads, type RecordRow, type Store, type StoredHead } from '../store/store.js';

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
}

type StoredRecord = RecordRow & { heads: RecordHeads };

const NO_PREDECESSORS: ReadonlySet<number> = new Set();
/** Stands for a changeset not yet in the log while its writes are previewed: no stored changeset has sequence number 0. */
const UNWRITTEN = 0;

export function kindOf(content: ChangesetContent): ChangesetKind {
  if (content.is_nullification) return ChangesetKind.Nullification;
  if (content.is_resolution) return ChangesetKind.Resolution;
  return ChangesetKind.Normal;
}

/**
 * Writes changesets into a store: appends each to the log and folds its
 * property writes into the records' heads by the model's write rule. The
 * caller holds the transaction. Nullifications are log entries only: they
 * never change the write state, which is why they need not travel.
 */
export class ChangesetApplier {
  private readonly idToSeq = new Map<string, number>();
  private readonly seqToHead = new Map<number, { id: string; created: string }>();
  /** The records the last preview read, so applying that same changeset next does not read them again. */
  private previewed?: { id: string; records: Map<string, StoredRecord | undefined> };

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
      if (!row) throw new ProphetError(`changeset ${seq} is named as a head but is not in the log`, 'internal');
      head = { id: changesetId(row.origin_uuid, row.origin_seq), created: row.created };
      this.seqToHead.set(seq, head);
    }
    return head;
  }

  toHeads(stored: readonly StoredHead[]): Head[] {
    return stored.map((h) => ({ ...this.globalHead(h.id), value: h.value }));
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

  private existing(uuid: string, change: Change, writer: string): StoredRecord | undefined {
    const existing = this.store.recordWithHeads(uuid);
    if (existing && existing.type !== change.record_type) {
      throw new BadDataError(`changeset ${writer} changes record ${uuid} as a '${change.record_type}', but it is a '${existing.type}'`);
    }
    return existing;
  }

  /**
   * Folds one write into a property's stored heads. Returns the new heads,
   * the shown one first, and, when the write was concurrent with others,
   * every head standing with its global id.
   */
  private fold(before: readonly StoredHead[], write: StoredHead, pred: readonly string[], writer: string): { heads: StoredHead[]; concurrent?: Head[] } {
    const { heads, concurrent } = applyWrite(before, write, this.predSeqs(pred, writer));
    if (!concurrent) return { heads };
    const all = this.toHeads(heads);
    const winner = winningHead(all)!;
    const shown = heads[all.indexOf(winner)]!;
    return { heads: [shown, ...heads.filter((h) => h !== shown)], concurrent: all };
  }

  /**
   * The writes of `content` that would be left standing beside others if it
   * were applied now, read without writing anything: a merge uses this to
   * find a conflict before the incoming changeset is written.
   */
  concurrentWrites(content: ChangesetContent): ConcurrentWrite[] {
    if (content.is_nullification) return [];
    const self = { id: changesetId(content.original_source_uuid, content.original_sequence_no), created: content.created };
    this.seqToHead.set(UNWRITTEN, self);
    const found: ConcurrentWrite[] = [];
    const records = new Map<string, StoredRecord | undefined>();
    this.previewed = { id: self.id, records };
    try {
      for (const [uuid, change] of Object.entries(content.changes)) {
        const existing = this.existing(uuid, change, self.id);
        records.set(uuid, existing);
        const heads = existing?.heads ?? {};
        for (const w of writesOf(change)) {
          const { concurrent } = this.fold(heads[w.name] ?? [], { id: UNWRITTEN, value: w.value }, w.pred, self.id);
          if (concurrent && (w.name !== EXISTENCE || isConflicted(concurrent))) {
            found.push({ record_uuid: uuid, record_type: change.record_type, name: w.name, heads: concurrent });
          }
        }
      }
    } finally {
      this.seqToHead.delete(UNWRITTEN);
    }
    return found;
  }

  /** `signature` is the author's, kept beside the body as received: it is not part of the hashed content. */
  apply(content: ChangesetContent, body: string, hash = sha256Hex(body), signature?: string | null): AppliedChangeset {
    const kind = kindOf(content);
    const seq = this.store.appendChangeset({
      origin_uuid: content.original_source_uuid,
      origin_seq: content.original_sequence_no,
      created: content.created,
      kind,
      hash,
      body,
      signature,
    });
    const self = { id: changesetId(content.original_source_uuid, content.original_sequence_no), created: content.created };
    this.idToSeq.set(self.id, seq);
    this.seqToHead.set(seq, self);
    // Read by the preview of this very changeset, with nothing written in between (any other apply drops them).
    const previewed = this.previewed?.id === self.id ? this.previewed.records : undefined;
    this.previewed = undefined;

    for (const [uuid, change] of Object.entries(content.changes)) {
      const existing = previewed?.has(uuid) ? previewed.get(uuid) : this.existing(uuid, change, self.id);
      if (kind === ChangesetKind.Nullification) {
        this.store.noteRecordChange(existing?.luid ?? this.insertRecord(uuid, change.record_type), seq);
        continue;
      }
      const heads: RecordHeads = existing?.heads ?? {};
      const props: Properties = { ...existing?.props };
      const changed: string[] = [];
      for (const w of writesOf(change)) {
        heads[w.name] = this.fold(heads[w.name] ?? [], { id: seq, value: w.value }, w.pred, self.id).heads;
        if (w.name === EXISTENCE) continue;
        const shown = heads[w.name]![0]!.value;
        if ((props[w.name] ?? null) === shown) continue;
        changed.push(w.name);
        if (shown === null) delete props[w.name];
        else props[w.name] = shown;
      }
      const state = { live: isLive(heads[EXISTENCE]!), props, heads };
      if (existing && existing.live !== state.live) changed.push(EXISTENCE);
      if (existing) {
        this.store.saveRecord(existing.luid, state, changed);
        this.store.noteRecordChange(existing.luid, seq);
      } else {
        this.store.noteRecordChange(this.insertRecord(uuid, change.record_type, state), seq);
      }
    }
    return { seq, hash };
  }

  private insertRecord(uuid: string, type: string, state?: Parameters<Store['insertRecord']>[2]): number {
    return this.store.insertRecord(uuid, type, state, isInternalType(type));
  }
}
