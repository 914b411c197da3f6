/**
 * The foreign-replica framework against a tracker in memory: remote
 * history as changesets with per-record marks, echo suppression, pushes
 * retried after a failure, and conflicts between a remote and a local
 * edit found by the write rule as between native replicas.
 */
import { describe, expect, it } from 'vitest';
import { builtinSchemes, foreignScheme, pull, push, urlUuid, type Replica } from '../../../src/prophet/index.js';
import { newReplica, testEnv } from '../../helpers/temp-replica.js';
import { FakeTracker } from './fake-tracker.js';

function setUp() {
  const tracker = new FakeTracker();
  const schemes = builtinSchemes.with([foreignScheme({ name: 'fake', connect: () => tracker.connector() })]);
  const env = testEnv();
  const replica = newReplica({ env });
  const opts = { env, schemes };
  return { tracker, replica, sync: { pull: (o = {}) => pull(replica, 'fake:tracker', { ...opts, ...o }), push: () => push(replica, 'fake:tracker', opts) } };
}

const notes = (r: Replica) => r.liveRecords('note').map((n) => n.props).sort((a, b) => (a.title ?? '').localeCompare(b.title ?? ''));

describe('a foreign replica', () => {
  it('pulls remote records under stable uuids, with per-record high-water marks, and a repeated pull integrates nothing', async () => {
    const { tracker, replica, sync } = setUp();
    const id = tracker.create({ title: 'first', state: 'open' });
    tracker.update(id, { state: 'done' });
    const report = await sync.pull();
    expect(report.summary?.records).toEqual({ note: 1 });
    expect(notes(replica)).toEqual([{ title: 'first', state: 'done' }]);
    const uuid = urlUuid('fake://tracker/note/1');
    expect(replica.findRecord(uuid)?.props.state).toBe('done');
    expect(replica.mergeTicket(uuid)).toBe(2);
    const again = await sync.pull();
    expect(again.changesets.integrated).toBe(0);
  });

  it('a record the search calls unsettled is read again though its `updated` did not move; once settled and unchanged it costs no request', async () => {
    const { tracker, replica, sync } = setUp();
    tracker.clockStopped = true;
    const id = tracker.create({ title: 'quick', state: 'open' });
    await sync.pull();
    tracker.update(id, { state: 'done' });
    await sync.pull();
    expect(notes(replica)).toEqual([{ title: 'quick', state: 'done' }]);
    tracker.clockStopped = false;
    tracker.requests = 0;
    await sync.pull();
    expect(tracker.requests, 'the search, and one read of the record last read unsettled').toBe(2);
    tracker.requests = 0;
    expect((await sync.pull()).changesets.integrated).toBe(0);
    expect(tracker.requests, 'the search alone').toBe(1);
  });

  it('pushes local changes once and does not pull them back; a failed push is sent by the next one', async () => {
    const { tracker, replica, sync } = setUp();
    replica.create('note', { title: 'local', state: 'open' });
    tracker.down = 'the tracker is down';
    await expect(sync.push()).rejects.toThrow(/will be sent again on the next push\): the tracker is down/);
    expect(tracker.items.size).toBe(0);
    tracker.down = undefined;
    await sync.push();
    await sync.push();
    expect([...tracker.items.values()].map((i) => i.props)).toEqual([expect.objectContaining({ title: 'local', state: 'open' })]);
    const before = replica.latestSequenceNo();
    await sync.pull();
    expect(replica.latestSequenceNo()).toBe(before);
    expect(notes(replica)).toHaveLength(1);
  });

  it('pulls what the tracker changed after a push; a remote edit concurrent with an unpushed local one is a conflict', async () => {
    const { tracker, replica, sync } = setUp();
    const id = tracker.create({ title: 'shared', state: 'open' });
    await sync.pull();
    const uuid = urlUuid('fake://tracker/note/1');
    replica.update('note', uuid, { state: 'closed' });
    await sync.push();
    tracker.update(id, { state: 'reopened' });
    await sync.pull();
    // The remote saw the pushed value: its change follows it, no conflict.
    expect(replica.findRecord(uuid)?.props.state).toBe('reopened');

    replica.update('note', uuid, { state: 'local' });
    tracker.update(id, { state: 'remote' });
    await expect(sync.pull()).rejects.toThrow(/cannot resolve the conflict/);
    await sync.pull({ prefer: 'target' });
    expect(replica.findRecord(uuid)?.props.state).toBe('local');
    // The resolution travels to the tracker like any write.
    await sync.push();
    expect(tracker.items.get(id)!.props.state).toBe('local');
  });
});
