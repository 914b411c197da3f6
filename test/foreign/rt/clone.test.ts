import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { sdUser } from '../../sd/sd-cli.js';
import { describeRt, freshQueue, rtUrl } from './rt-test.js';
import { allTickets, attachmentBytes, commentKind, commentTexts, numbersAt, prop, sdOk, ticketBySummary } from '../sd-side.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describeRt('sd clone --from rt:URL|Queue|TicketSQL', { timeout: 900_000 }, () => {
  it('copies a queue: fields, requestors, cc, custom fields, creation text, comments and correspondence with their kind, files byte for byte', async () => {
    const q = await freshQueue();
    const core = Buffer.concat([Buffer.from([0, 0, 0xff, 0xfe, 0x0d, 0x0a, 0x80, 0x1b]), randomBytes(300_000), Buffer.from([0])]);
    const fire = await q.rest.createTicket(q.queue, {
      subject: 'Printer on fire',
      content: 'It is on fire.',
      requestors: ['alice@example.test'],
      cc: ['bob@example.test', 'carol@example.test'],
      owner: 'root',
      status: 'open',
      priority: 5,
      customFields: { Severity: 'high', Tags: ['hardware', 'urgent'] },
    });
    await q.rest.comment(fire, 'Checked the toner.', [{ name: 'core.bin', type: 'application/octet-stream', bytes: core }]);
    await q.rest.correspond(fire, 'We are on it.', [{ name: 'shot.png', type: 'image/png', bytes: PNG }]);
    const slow = await q.rest.createTicket(q.queue, { subject: 'Slow login', content: 'Takes a minute.' });
    await q.rest.setStatus(slow, 'resolved');
    const gone = await q.rest.createTicket(q.queue, { subject: 'Deleted before the clone' });
    await q.rest.deleteTicket(gone);

    const u = sdUser('alice@example.com', 'alice');
    await sdOk(u, ['clone', '--from', rtUrl(q)]);

    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Printer on fire', 'Slow login']);
    const t = ticketBySummary(u, 'Printer on fire');
    expect(t.props.status).toBe('open');
    expect(prop(t, /^owner$/i)).toMatch(/root/);
    expect(prop(t, /^(reporter|requestors?)$/i)).toMatch(/alice@example\.test/);
    const cc = prop(t, /^ccs?$/i) ?? '';
    expect(cc).toMatch(/bob@example\.test/);
    expect(cc).toMatch(/carol@example\.test/);
    expect(prop(t, /^priority(_integer)?$/i)).toBe('5');
    expect(prop(t, /^(f-)?queue$/i)).toBe(q.queue);
    expect(prop(t, /severity/i)).toBe('high');
    expect(prop(t, /tags/i)).toMatch(/hardware/);
    expect(prop(t, /tags/i)).toMatch(/urgent/);
    // The creation text: a comment, as the original did, or a property.
    expect([...commentTexts(t), ...Object.values(t.props)].filter((v) => v.trim() === 'It is on fire.')).toHaveLength(1);
    const byText = new Map(t.comments.map((c) => [c.props.content?.trim(), c]));
    expect(commentKind(byText.get('Checked the toner.')!)).toBe('comment');
    expect(commentKind(byText.get('We are on it.')!)).toBe('correspond');
    expect(commentTexts(t).filter((c) => /Checked the toner|We are on it/.test(c))).toHaveLength(2);
    expect(t.attachments.map((a) => a.props.name).sort()).toEqual(['core.bin', 'shot.png']);
    const file = (name: string) => t.attachments.find((a) => a.props.name === name)!;
    expect(attachmentBytes(u, file('core.bin').luid).equals(core)).toBe(true);
    expect(attachmentBytes(u, file('shot.png').luid).equals(PNG)).toBe(true);
    expect(file('shot.png').props.content_type).toBe('image/png');

    expect(ticketBySummary(u, 'Slow login').props.status).toBe('closed');
  });

  it('takes only the tickets the TicketSQL selects, and --json reports how many', async () => {
    const q = await freshQueue();
    for (const subject of ['alpha one', 'alpha two', 'beta']) await q.rest.createTicket(q.queue, { subject, content: subject });
    const u = sdUser('alice@example.com', 'alice');
    const report: unknown = JSON.parse(await sdOk(u, ['clone', '--from', rtUrl(q, { sql: "Subject LIKE 'alpha'" }), '--json']));
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['alpha one', 'alpha two']);
    expect(numbersAt(report, /ticket/i)).toContain(2);
  });

  it('clones a whole queue when the TicketSQL is empty, paging through more tickets than one answer holds', async () => {
    const q = await freshQueue();
    // RT's REST2 pages at 20 by default.
    for (let n = 1; n <= 23; n++) await q.rest.createTicket(q.queue, { subject: `ticket ${String(n).padStart(2, '0')}` });
    const u = sdUser('alice@example.com', 'alice');
    await sdOk(u, ['clone', '--from', rtUrl(q)]);
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(Array.from({ length: 23 }, (_, i) => `ticket ${String(i + 1).padStart(2, '0')}`));
  });
});
