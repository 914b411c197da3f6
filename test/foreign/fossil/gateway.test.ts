import { expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port.js';
import { sdUser } from '../../sd/sd-cli.js';
import { ticketBySummary } from '../sd-side.js';
import { describeFossil, FossilRepo } from './fossil-repo.js';

interface Outcome {
  replica: string;
  direction: 'pull' | 'push';
  report?: unknown;
  error?: string;
}

describeFossil('sd sync: one SD replica relaying two Fossil repositories and a native peer', () => {
  it('carries a ticket from one repository to the other once and a status change back, past a replica that is down, with no echoes', async () => {
    const a = FossilRepo.create();
    const b = FossilRepo.create();
    const hub = sdUser('hub@example.com', 'hub');
    hub.ok(['init', '-n']);
    const peer = sdUser('peer@example.com', 'peer');
    peer.ok(['clone', '--from', hub.repo]);
    hub.ok(['config', 'replica.a.url', a.url]);
    hub.ok(['config', 'replica.b.url', b.url]);
    hub.ok(['config', 'replica.peer.url', peer.repo]);
    hub.ok(['config', 'replica.down.url', `fossil:http://127.0.0.1:${await freePort()}/`]);

    const inA = a.add({ title: 'Reported in A', status: 'Open', '+icomment': 'seen in A' }, 'alice');
    const first = hub.sd(['sync']);
    // The replica that is down fails the run, after the others were synced.
    expect(first.code).not.toBe(0);
    expect(first.stdout).toMatch(/^Could not pull from down: cannot sync with the Fossil server/m);
    expect(first.stdout).toMatch(/^Could not push to down: /m);
    expect(first.stderr.trim()).toBe('sd: could not sync with 1 of 4 replicas (down); the others were synced');
    const [inB] = b.byTitle('Reported in A');
    expect(inB).toMatchObject({ status: 'Open' });
    expect(b.comments(inB!.uuid).map((c) => c.icomment)).toEqual(['seen in A']);
    expect(ticketBySummary(peer, 'Reported in A').props.status).toBe('open');

    b.set(inB!.uuid, { status: 'Closed', resolution: 'Fixed' }, 'bob');
    const json = hub.sd(['sync', '--json']);
    expect(json.code).not.toBe(0);
    // Replicas in the config's order (sorted by name).
    const outcomes = JSON.parse(json.stdout) as Outcome[];
    expect(outcomes.map((o) => [o.direction, o.replica, o.error === undefined])).toEqual([
      ['pull', 'a', true],
      ['pull', 'b', true],
      ['pull', 'down', false],
      ['pull', 'peer', true],
      ['push', 'a', true],
      ['push', 'b', true],
      ['push', 'down', false],
      ['push', 'peer', true],
    ]);
    expect(a.tickets().find((t) => t.uuid === inA)).toMatchObject({ status: 'Closed', resolution: 'Fixed' });
    expect(ticketBySummary(peer, 'Reported in A').props.status).toBe('closed');

    // Repeated syncs, in any order, write nothing more anywhere.
    const counts = [a.changeCount(), b.changeCount()];
    hub.sd(['sync']);
    hub.sd(['push', '--all']);
    hub.sd(['pull', '--all']);
    hub.sd(['sync']);
    expect([a.changeCount(), b.changeCount()]).toEqual(counts);
    expect(a.tickets()).toHaveLength(1);
    expect(b.tickets()).toHaveLength(1);
    expect(a.comments(inA)).toHaveLength(1);
    expect(b.comments(inB!.uuid)).toHaveLength(1);
    ticketBySummary(hub, 'Reported in A');
  });
});
