/**
 * Two promises about what a merge leaves behind: a refused merge changes
 * nothing (not even the resolution database), and a conflict met while
 * its record was deleted is settled when the record comes back.
 */
import { describe, expect, it } from 'vitest';
import { isConflicted } from '../../src/prophet/model/write-state.js';
import { cloneOf, peer, pull, state } from './helpers.js';

describe('a refused merge', () => {
  it("imports none of the source's votes: both databases are left as they were", async () => {
    const alice = peer('alice');
    const first = alice.create('Bug', { status: 'new' }).uuid;
    const second = alice.create('Bug', { status: 'new' }).uuid;
    const bob = await cloneOf(alice, 'bob');
    const carol = await cloneOf(alice, 'carol');
    // Alice settles a conflict with carol, which records her vote.
    carol.update('Bug', first, { status: 'carol' });
    alice.update('Bug', first, { status: 'alice' });
    await pull(alice, carol, { prefer: 'source' });
    expect(alice.resdb.latestSequenceNo()).toBeGreaterThan(0);
    // Bob meets a conflict with alice that nothing settles.
    bob.update('Bug', second, { status: 'bob' });
    alice.update('Bug', second, { status: 'alice again' });
    const before = { main: bob.latestSequenceNo(), votes: bob.resdb.latestSequenceNo(), tickets: bob.resdb.mergeTickets() };
    await expect(pull(bob, alice)).rejects.toThrow(/cannot resolve the conflict/);
    expect({ main: bob.latestSequenceNo(), votes: bob.resdb.latestSequenceNo(), tickets: bob.resdb.mergeTickets() }).toEqual(before);
  });
});

describe('a conflict met while its record was deleted', () => {
  it('is settled when an update of another property brings the record back, and every replica agrees', async () => {
    const alice = peer('alice');
    const r = alice.create('Bug', { status: 'new', owner: 'nobody' }).uuid;
    const bob = await cloneOf(alice, 'bob');
    const carol = await cloneOf(alice, 'carol');
    const erin = await cloneOf(alice, 'erin');
    // Bob and carol each change the status, then delete the record.
    bob.update('Bug', r, { status: 'bob' });
    bob.delete('Bug', r);
    carol.update('Bug', r, { status: 'carol' });
    carol.delete('Bug', r);
    await pull(alice, bob);
    await pull(alice, carol);
    expect(alice.findRecord(r)!.live).toBe(false);
    expect(alice.conflictedProperties(r)).toEqual(['status']);
    // Erin, who saw none of it, changes the owner: the record comes back.
    erin.update('Bug', r, { owner: 'erin' });
    const report = await pull(alice, erin, { prefer: 'target' });
    expect(alice.findRecord(r)!.live).toBe(true);
    expect(report.conflicts.filter((c) => c.name === 'status').map((c) => c.how)).toEqual(['prefer']);
    expect(isConflicted(alice.heads(r, 'status'))).toBe(false);
    for (const [a, b] of [[erin, alice], [bob, alice], [carol, alice], [alice, erin]] as const) await pull(a, b, { prefer: 'source' });
    for (const other of [bob, carol, erin]) {
      expect(state(other)).toEqual(state(alice));
      expect(isConflicted(other.heads(r, 'status'))).toBe(false);
    }
  });
});
