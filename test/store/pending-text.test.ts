import { describe, expect, it } from 'vitest';
import { PendingText } from '../../src/prophet/store/pending-text.js';

describe('the full-text rows a transaction owes', () => {
  it('come out once per record, deletes then inserts in rowid order, and the undo log does not outlive the commit', () => {
    const p = new PendingText();
    p.set(9, { a: 'x' }, false);
    p.set(3, { a: 'y' }, true);
    p.set(9, { a: 'z' }, false);
    p.set(5, { a: 'w' }, false);
    expect(p.take(false)).toEqual({ deletes: [5, 9], inserts: [[3, { a: 'y' }], [5, { a: 'w' }], [9, { a: 'z' }]] });
    // Committed: a new transaction's savepoints start from an empty log.
    expect(p.mark()).toBe(0);
  });

  it('rolls a savepoint back to what was pending when it began, including rows a search inside it flushed', () => {
    const p = new PendingText();
    p.set(1, { a: 'before' }, false);
    const mark = p.mark();
    p.set(1, { a: 'inside' }, false);
    p.set(2, { a: 'new' }, true);
    p.take(true);
    p.set(3, { a: 'after flush' }, false);
    p.rollbackTo(mark);
    expect(p.take(false)).toEqual({ deletes: [1], inserts: [[1, { a: 'before' }]] });
  });
});
