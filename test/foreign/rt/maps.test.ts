import { expect, it } from 'vitest';
import { sdUserWithReplica } from '../../sd/sd-cli.js';
import { describeRt, freshQueue, rtUrl } from './rt-test.js';
import { sdOk, ticketBySummary } from '../sd-side.js';

describeRt('configured value maps for an RT replica', { timeout: 600_000 }, () => {
  it('change what a pull writes and what a push sends, over the connector defaults', async () => {
    const q = await freshQueue();
    const id = await q.rest.createTicket(q.queue, { subject: 'Mapped', status: 'open', priority: 10 });
    const u = sdUserWithReplica('alice@example.com', 'alice');
    u.ok(['config', 'replica.rt.url', rtUrl(q)]);
    u.ok(['config', 'replica.rt.priority-map', '10=low, 50=high']);
    u.ok(['config', 'replica.rt.status-map', 'stalled=stalled, resolved=rejected']);
    await sdOk(u, ['pull', '--from', 'rt']);
    const t = ticketBySummary(u, 'Mapped');
    expect(t.props).toMatchObject({ priority: 'low', status: 'open' });

    u.ok(['ticket', 'update', t.uuid, '--', 'priority=high', 'status=rejected']);
    await sdOk(u, ['push', '--to', 'rt']);
    const there = await q.rest.ticket(id);
    expect([String(there.Priority), there.Status]).toEqual(['50', 'resolved']);
    expect(u.ok(['foreign', 'show', 'rt'])).toMatch(/^status\s+resolved\s+closed\s+default$/m);
  });
});
