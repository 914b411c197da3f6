import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/prophet/sync/conflict.js';
import { resolutionRecordUuid, resolutionType, votesFor } from '../../src/prophet/sync/resolution-db.js';
import { changesetId } from '../../src/prophet/model/changeset.js';
import { cloneOf, logAfter, peer, pull, state } from './helpers.js';

describe('a real conflicting merge (reference 3.7)', () => {
  it('records nullification, the original and the resolution, and the decision; the peer settles from it', async () => {
    const alice = peer('alice');
    const r = alice.create('Bug', { status: 'new' }).uuid;
    const bob = await cloneOf(alice, 'bob');
    bob.update('Bug', r, { status: 'stalled' });
    // Alice's write is the later one, so it is the value shown while the conflict stands.
    await new Promise((ok) => setTimeout(ok, 5));
    alice.update('Bug', r, { status: 'open' });
    const aliceOpen = alice.latestSequenceNo();

    const before = bob.latestSequenceNo();
    const report = await pull(bob, alice, { prefer: 'target' });
    const log = logAfter(bob, before);
    expect(log).toHaveLength(3);
    const [nullification, original, resolution] = log as [typeof log[0], typeof log[0], typeof log[0]];

    expect(nullification).toMatchObject({ creator: null, is_nullification: true, is_resolution: false, original_source_uuid: bob.uuid, original_sequence_no: before + 1 });
    expect(nullification.changes[r]).toMatchObject({ change_type: 'update', prop_changes: { status: { old_value: 'stalled', new_value: 'new' } } });

    expect(original).toMatchObject({ creator: 'alice@example.com', original_source_uuid: alice.uuid, original_sequence_no: aliceOpen, is_nullification: false });
    expect(original.changes[r]!.prop_changes.status).toMatchObject({ old_value: 'new', new_value: 'open' });

    const fp = fingerprintOf('Bug', r, [{ name: 'status', heads: [{ id: '', created: '', value: 'open' }, { id: '', created: '', value: 'stalled' }] }]);
    expect(resolution).toMatchObject({ creator: 'bob@example.com', is_resolution: true, original_source_uuid: bob.uuid });
    expect(resolution.changes[r]).toMatchObject({ change_type: 'update', resolves: fp });
    expect(resolution.changes[r]!.prop_changes.status).toMatchObject({ old_value: 'open', new_value: 'stalled' });
    expect(resolution.changes[r]!.prop_changes.status!.pred.sort()).toEqual(
      [changesetId(alice.uuid, aliceOpen), changesetId(bob.uuid, before)].sort(),
    );

    const record = bob.resdb.findRecord(resolutionRecordUuid(fp, bob.resdb.uuid))!;
    expect(record.type).toBe(resolutionType(fp));
    expect(record.props.status).toBe('stalled');
    expect(JSON.parse(record.props._meta!)).toMatchObject({ how: 'prefer', record_uuid: r, resolver: bob.resdb.uuid });
    expect(report.conflicts).toMatchObject([{ name: 'status', how: 'prefer', chosen: 'stalled', candidates: ['open', 'stalled'] }]);
    expect(bob.get(r).props.status).toBe('stalled');
    expect(bob.conflictedProperties(r)).toEqual([]);

    // Alice needs no resolver: Bob's resolution travels and settles it on her side too.
    const aliceReport = await pull(alice, bob);
    expect(aliceReport.conflicts).toMatchObject([{ name: 'status', how: 'peer', chosen: 'stalled', decidedBy: ['bob@example.com'] }]);
    expect(alice.get(r).props.status).toBe('stalled');
    expect(votesFor(alice.resdb, fp)).toMatchObject([{ resolver: bob.resdb.uuid, values: { status: 'stalled' } }]);
    expect(state(alice)).toEqual(state(bob));

    const a = alice.latestSequenceNo();
    const b = bob.latestSequenceNo();
    expect((await pull(alice, bob)).changesets.integrated).toBe(0);
    expect((await pull(bob, alice)).changesets.integrated).toBe(0);
    expect([alice.latestSequenceNo(), bob.latestSequenceNo()]).toEqual([a, b]);
  });

  it('without a resolver fails naming the record and property, and leaves the target unchanged', async () => {
    const alice = peer('alice');
    const r = alice.create('Bug', { status: 'new' }).uuid;
    const bob = await cloneOf(alice, 'bob');
    bob.update('Bug', r, { status: 'stalled' });
    alice.update('Bug', r, { status: 'open' });
    const before = { seq: bob.latestSequenceNo(), state: state(bob), res: bob.resdb.latestSequenceNo(), tickets: bob.mergeTickets() };
    await expect(pull(bob, alice)).rejects.toThrow(new RegExp(`Bug ${r}: 'status' \\("open" vs "stalled"\\)`));
    expect(bob.latestSequenceNo()).toBe(before.seq);
    expect(state(bob)).toEqual(before.state);
    expect(bob.mergeTickets()).toEqual(before.tickets);
  });

  it('an identical change is nullified but needs no resolution (simple-conflicting-merge)', async () => {
    const alice = peer('alice');
    const r = alice.create('Bug', { status: 'new' }).uuid;
    const bob = await cloneOf(alice, 'bob');
    bob.update('Bug', r, { status: 'stalled' });
    alice.update('Bug', r, { status: 'stalled' });
    const before = bob.latestSequenceNo();
    const report = await pull(bob, alice);
    const log = logAfter(bob, before);
    expect(log.map((c) => [c.is_nullification, c.is_resolution, c.original_source_uuid])).toEqual([
      [true, false, bob.uuid],
      [false, false, alice.uuid],
    ]);
    expect(log[0]!.changes[r]!.prop_changes.status).toMatchObject({ old_value: 'stalled', new_value: 'new' });
    expect(report.conflicts).toMatchObject([{ how: 'identical', chosen: 'stalled' }]);
    expect(bob.resdb.latestSequenceNo()).toBe(0);
    await pull(alice, bob);
    expect(state(alice)).toEqual(state(bob));
  });
});
