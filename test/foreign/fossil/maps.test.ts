import { expect, it } from 'vitest';
import { createdId, sdUser } from '../../sd/sd-cli.js';
import { ticketBySummary } from '../sd-side.js';
import { describeFossil, FossilRepo } from './fossil-repo.js';

describeFossil('configured value maps for a Fossil replica', () => {
  it('change what a pull writes and what a push sends; unmapped values are kept; foreign show prints them', () => {
    const repo = FossilRepo.create();
    const fixed = repo.add({ title: 'Fixed one', status: 'Fixed', priority: 'High' }, 'alice');
    repo.add({ title: 'Odd one', status: 'Parked', priority: 'Whenever' }, 'bob');
    const u = sdUser('carol@example.com', 'carol');
    u.ok(['init', '-n']);
    u.ok(['config', 'replica.up.url', repo.url]);
    u.ok(['config', 'replica.up.status-map', 'Fixed=rejected, Review=stalled']);
    u.ok(['config', 'replica.up.priority-map', 'High=p1']);
    u.ok(['config', 'replica.up.user-map', 'alice=alice@work.example, admin=carol@example.com']);
    u.ok(['pull', '--from', 'up']);

    const t = ticketBySummary(u, 'Fixed one');
    expect(t.props).toMatchObject({ status: 'rejected', priority: 'p1', reporter: 'alice@work.example' });
    // Neither the config nor the defaults name these: kept as Fossil has them.
    expect(ticketBySummary(u, 'Odd one').props).toMatchObject({ status: 'Parked', priority: 'Whenever', reporter: 'bob@example.com' });

    u.ok(['ticket', 'update', t.uuid, '--', 'status=stalled', 'priority=p1']);
    const made = createdId(u.ok(['ticket', 'create', '--summary', 'From SD', '--', 'status=rejected', 'priority=medium']));
    u.ok(['push', '--to', 'up']);
    expect(repo.tickets().find((x) => x.uuid === fixed)).toMatchObject({ status: 'Review', priority: 'High' });
    expect(repo.byTitle('From SD')).toMatchObject([{ status: 'Fixed', priority: 'Medium' }]);
    // carol maps to Fossil's admin: the changes are admin's, in Fossil's own user field.
    expect(repo.rows<{ user: string; username: string | null }>(`SELECT tkt_user AS user, username FROM ticketchng WHERE tkt_rid > 3 ORDER BY tkt_rid`)).toEqual([
      { user: 'admin', username: null },
      { user: 'admin', username: null },
    ]);
    expect(ticketBySummary(u, 'From SD').uuid).toBe(made.uuid);

    const shown = u.ok(['foreign', 'show', 'up']);
    expect(shown).toMatch(/^up: fossil:\S+ \(Fossil\)$/m);
    expect(shown).toMatch(/^status\s+Fixed\s+rejected\s+config$/m);
    expect(shown).toMatch(/^status\s+Deferred\s+stalled\s+default$/m);
    expect(shown).toMatch(/^user\s+alice\s+alice@work\.example\s+config$/m);
    const json = JSON.parse(u.ok(['foreign', 'show', 'up', '--json'])) as { tracker: string; maps: Record<string, Array<{ foreign: string; sd: string; from: string }>> };
    expect(json.tracker).toBe('fossil');
    expect(json.maps.priority![0]).toEqual({ foreign: 'High', sd: 'p1', from: 'config' });
    expect(json.maps.status!.filter((e) => e.from === 'config')).toHaveLength(2);

    u.ok(['config', 'replica.up.status-map', 'Fixed']);
    const bad = u.sd(['pull', '--from', 'up']);
    expect(bad.stderr.trim()).toBe("sd: replica.up.status-map: 'Fixed' is not a map entry (expected FOREIGN=SD, e.g. 'Fixed=closed', entries separated by commas)");
  });
});
