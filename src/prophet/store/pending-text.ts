/**
 * The full-text rows a write transaction owes the index, written together
 * just before it commits.
 *
 * FTS5 keeps the rows it has not flushed in memory only while their rowids
 * ascend: a record written out of order flushes a segment, and a delete
 * from a contentless table rewrites a page of tombstones. A pull or an
 * edit touches records in no particular order, so written one by one the
 * index cost more than the rest of the write (pulls of 1,000 changesets
 * 50% slower). Collected here, each record's text is written once, after
 * every delete, in rowid order.
 *
 * Savepoints inside the transaction can roll back: every change to the
 * pending rows is logged, so a rollback puts back what was pending when the
 * savepoint began, including rows that a search inside it had flushed (the
 * database undoes those rows' writes itself).
 */
import type { Properties } from '../model/types.js';

interface Pending {
  props: Properties;
  /** Inserted in this transaction: the index has no row of it to delete. */
  fresh: boolean;
}

type Undo = { luid: number; before: Pending | undefined } | { flushed: Map<number, Pending> };

export interface TextWrites {
  /** Records whose old row goes, in rowid order. */
  deletes: number[];
  /** Records' current properties, in rowid order. */
  inserts: Array<[number, Properties]>;
}

export class PendingText {
  private pending = new Map<number, Pending>();
  private readonly undo: Undo[] = [];

  get size(): number {
    return this.pending.size;
  }

  set(luid: number, props: Properties, fresh: boolean): void {
    const before = this.pending.get(luid);
    this.undo.push({ luid, before });
    this.pending.set(luid, { props, fresh: before ? before.fresh : fresh });
  }

  /** Where a savepoint begins. */
  mark(): number {
    return this.undo.length;
  }

  /** Back to what was pending at `mark`. */
  rollbackTo(mark: number): void {
    while (this.undo.length > mark) {
      const step = this.undo.pop()!;
      if ('flushed' in step) this.pending = step.flushed;
      else if (step.before) this.pending.set(step.luid, step.before);
      else this.pending.delete(step.luid);
    }
  }

  /**
   * The writes owed, emptying the pending rows. Inside a transaction
   * (`logged`, a search flushing them) a rollback can still restore them;
   * at its commit or outside one nothing can roll back, so the log goes too.
   */
  take(logged: boolean): TextWrites {
    const taken = this.pending;
    this.pending = new Map();
    if (logged) this.undo.push({ flushed: taken });
    else this.undo.length = 0;
    const luids = [...taken.keys()].sort((a, b) => a - b);
    return {
      deletes: luids.filter((luid) => !taken.get(luid)!.fresh),
      inserts: luids.map((luid) => [luid, taken.get(luid)!.props]),
    };
  }

  /** The transaction ended (committed or rolled back): nothing is owed any more. */
  clear(): void {
    this.pending = new Map();
    this.undo.length = 0;
  }
}
