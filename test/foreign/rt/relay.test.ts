import { expect, it } from 'vitest';
import { sdUser } from '../../sd/sd-cli.js';
import { describeRt, freshQueue, rtUrl, type RtQueue } from './rt-test.js';
import { allTickets, commentTexts, sdOk, ticketBySummary } from '../sd-side.js';

/** Per ticket subject in a queue: its status and its comment and correspondence texts, sorted. */
async function queueContent(q: RtQueue): Promise<Record<string, { status: string; messages: string[] }>> {
  const out: Record<string, { status: string; messages: string[] }> = {};
  for (const id of await q.rest.search(q.queue)) {
    const t = await q.rest.ticket(id);
    const messages = [...(await q.rest.messages(id, 'Comment')), ...(await q.rest.messages(id, 'Correspond'))].map((m) => m.trim()).sort();
    expect(out[t.Subject], `two tickets named ${t.Subject} in ${q.queue}`).toBeUndefined();
    out[t.Subject] = { status: t.Status, messages };
  }
  return out;
}

describeRt('RT to RT through one SD replica', { timeout: 900_000 }, () => {
  it('relays tickets, comments and status between two queues, and repeated syncs both ways echo or duplicate nothing', async () => {
    const first = await freshQueue('first');
    const second = await freshQueue('second');
    const a = rtUrl(first);
    const b = rtUrl(second);
    const fromFirst = await first.rest.createTicket(first.queue, { subject: 'Born in the first queue', content: 'one', status: 'open' });
    await first.rest.comment(fromFirst, 'Comment made in the first queue');

    const relay = sdUser('relay@example.com', 'relay');
    await sdOk(relay, ['clone', '--from', a]);
    await sdOk(relay, ['push', '--to', b]);
    const copied = await second.rest.search(second.queue);
    expect(copied).toHaveLength(1);
    expect((await queueContent(second))['Born in the first queue']?.messages).toContain('Comment made in the first queue');

    const fromSecond = await second.rest.createTicket(second.queue, { subject: 'Born in the second queue', content: 'two', status: 'new' });
    await second.rest.correspond(fromSecond, 'Reply made in the second queue');
    // RT's own scrip "On Correspond Open Inactive Tickets" opens a new ticket on correspondence (as RT_System): that is the status to relay.
    const secondStatus = (await second.rest.ticket(fromSecond)).Status;
    await second.rest.setStatus(copied[0]!, 'resolved');
    await sdOk(relay, ['pull', '--from', b]);
    await sdOk(relay, ['push', '--to', a]);
    expect((await first.rest.ticket(fromFirst)).Status).toBe('resolved');
    expect(ticketBySummary(relay, 'Born in the first queue').props.status).toBe('closed');

    for (let round = 0; round < 2; round++) {
      await sdOk(relay, ['pull', '--from', a]);
      await sdOk(relay, ['pull', '--from', b]);
      await sdOk(relay, ['push', '--to', a]);
      await sdOk(relay, ['push', '--to', b]);
    }

    const inFirst = await queueContent(first);
    const inSecond = await queueContent(second);
    expect(Object.keys(inFirst).sort()).toEqual(['Born in the first queue', 'Born in the second queue']);
    expect(Object.keys(inSecond).sort()).toEqual(Object.keys(inFirst).sort());
    for (const queue of [inFirst, inSecond]) {
      expect(queue['Born in the first queue']!.status).toBe('resolved');
      expect(queue['Born in the second queue']!.status).toBe(secondStatus);
      expect(queue['Born in the first queue']!.messages.filter((m) => m === 'Comment made in the first queue')).toHaveLength(1);
      expect(queue['Born in the second queue']!.messages.filter((m) => m === 'Reply made in the second queue')).toHaveLength(1);
      // However the creation text travels, it does not multiply.
      for (const { messages } of Object.values(queue)) expect(new Set(messages).size).toBe(messages.length);
    }
    expect(allTickets(relay).map((t) => t.props.summary)).toEqual(['Born in the first queue', 'Born in the second queue']);
    for (const t of allTickets(relay)) expect(new Set(commentTexts(t)).size, `duplicate comments on ${t.props.summary}`).toBe(commentTexts(t).length);
  });
});
