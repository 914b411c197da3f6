import { describe, expect, it } from 'vitest';
import { PendingText } from '../../src/prophet/store/pending-text.js';

describe('the full-text rows a transaction owes', () => {
  it('come out once per record and owner, in rowid order, inserted ones marked, and the undo log does not outlive the commit', () => {
    const p = new PendingText();
    p.set(9, false);
    p.set(3, true);
    p.set(9, false);
    p.set(5, false);
    p.owner(7);
    p.owner('u2');
    p.owner(4);
    p.owner('u1');
    p.owner(7);
    expect(p.take(false)).toEqual({ records: [[3, true], [5, false], [9, false]], owners: [4, 7], ownerUuids: ['u1', 'u2'] });
    // Committed: a new transaction's savepoints start from an empty log.
    expect(p.mark()).toBe(0);
    expect(p.size).toBe(0);
  });

  it('keeps a record marked inserted when it is written again in the same transaction', () => {
    const p = new PendingText();
    p.set(2, true);
    p.set(2, false);
    expect(p.take(false).records).toEqual([[2, true]]);
  });

  it('rolls a savepoint back to what was pending when it began, including rows a search inside it flushed', () => {
    const p = new PendingText();
    p.set(1, false);
    p.owner('u1');
    const mark = p.mark();
    p.set(2, true);
    p.owner(8);
    p.take(true);
    p.set(3, false);
    p.owner('u3');
    p.rollbackTo(mark);
    expect(p.take(false)).toEqual({ records: [[1, false]], owners: [], ownerUuids: ['u1'] });
  });
});
