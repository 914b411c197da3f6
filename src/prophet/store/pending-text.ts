/**
 * The full-text rows a write transaction owes the index, written together
 * just before it commits.
 *
 * FTS5 keeps the rows it has not flushed in memory only while their rowids
 * ascend: a record written out of order flushes a segment, and a delete
 * from a contentless table rewrites a page of tombstones. A pull or an
 * edit touches records in no particular order, so written one by one the
 * index cost more than the rest of the write (pulls of 1,000 changesets
 * 50% slower). Collected here, each row is written once, from the records
 * as the transaction leaves them, after every delete, in rowid order.
 *
 * Two kinds of rows are owed: a written record's own row, and the `via`
 * row of an owner (full-text.ts) whose source records changed: named by
 * local id (an owner created, deleted or restored) or by uuid (the owner a
 * source record named before its change).
 *
 * Savepoints inside the transaction can roll back: every change to the
 * pending rows is logged, so a rollback puts back what was pending when the
 * savepoint began, including rows that a search inside it had flushed (the
 * database undoes those rows' writes itself).
 */

export interface TextWrites {
  /** Written records, in rowid order, each with whether the index has no row of it yet (inserted in this transaction). */
  records: Array<[number, boolean]>;
  /** Owners whose `via` row is recomposed, by local id. */
  owners: number[];
  /** Owners whose `via` row is recomposed, by uuid. */
  ownerUuids: string[];
}

interface Owed {
  /** Local id to whether it was inserted in this transaction. */
  records: Map<number, boolean>;
  owners: Set<number>;
  ownerUuids: Set<string>;
}

const nothingOwed = (): Owed => ({ records: new Map(), owners: new Set(), ownerUuids: new Set() });

export class PendingText {
  private owed = nothingOwed();
  /** How to take back each change to `owed`, latest last. */
  private readonly undo: Array<() => void> = [];

  get size(): number {
    return this.owed.records.size + this.owed.owners.size + this.owed.ownerUuids.size;
  }

  /** A record was written; `fresh` when it was inserted (the index has no row of it to delete). */
  set(luid: number, fresh: boolean): void {
    const { records } = this.owed;
    const before = records.get(luid);
    if (before !== undefined) return;
    this.undo.push(() => records.delete(luid));
    records.set(luid, fresh);
  }

  /** An owner's `via` row must be recomposed. */
  owner(key: number | string): void {
    const set: Set<number | string> = typeof key === 'number' ? this.owed.owners : this.owed.ownerUuids;
    if (set.has(key)) return;
    this.undo.push(() => set.delete(key));
    set.add(key);
  }

  /** Where a savepoint begins. */
  mark(): number {
    return this.undo.length;
  }

  /** Back to what was pending at `mark`. */
  rollbackTo(mark: number): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }

  /**
   * The writes owed, emptying the pending rows. Inside a transaction
   * (`logged`, a search flushing them) a rollback can still restore them;
   * at its commit or outside one nothing can roll back, so the log goes too.
   */
  take(logged: boolean): TextWrites {
    const taken = this.owed;
    this.owed = nothingOwed();
    if (logged) this.undo.push(() => (this.owed = taken));
    else this.undo.length = 0;
    const ascending = (a: number, b: number) => a - b;
    return {
      records: [...taken.records].sort(([a], [b]) => a - b),
      owners: [...taken.owners].sort(ascending),
      ownerUuids: [...taken.ownerUuids].sort(),
    };
  }

  /** The transaction ended (committed or rolled back): nothing is owed any more. */
  clear(): void {
    this.owed = nothingOwed();
    this.undo.length = 0;
  }
}
