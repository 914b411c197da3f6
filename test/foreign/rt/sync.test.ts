import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createdId, sdUser } from '../../sd/sd-cli.js';
import { startCountingProxy, type CountingProxy } from '../counting-proxy.js';
import { describeRt, freshQueue, rtUrl } from './rt-test.js';
import { allTickets, commentKind, commentTexts, prop, remoteSecondsOver, replicaState, sdOk, ticketBySummary } from '../sd-side.js';
import { seedTickets } from './seed.js';

const proxies: CountingProxy[] = [];
afterEach(async () => {
  while (proxies.length) await proxies.pop()!.close();
});

/** The texts RT holds for a ticket from comments and correspondence together. */
async function rtMessages(q: Awaited<ReturnType<typeof freshQueue>>, id: number): Promise<string[]> {
  return [...(await q.rest.messages(id, 'Comment')), ...(await q.rest.messages(id, 'Correspond'))].map((m) => m.trim());
}

describeRt('sd pull and sd push with an RT queue', { timeout: 900_000 }, () => {
  it('carries changes made on both sides both ways: RT resolved is SD closed and back, comments and files go once', async () => {
    const q = await freshQueue();
    const both = await q.rest.createTicket(q.queue, { subject: 'Changed in RT', content: 'first', status: 'open', customFields: { Severity: 'high' } });
    const closing = await q.rest.createTicket(q.queue, { subject: 'Changed in SD', content: 'second', status: 'open' });
    const u = sdUser('alice@example.com', 'alice');
    const url = rtUrl(q);
    await sdOk(u, ['clone', '--from', url]);

    await q.rest.correspond(both, 'Answer from RT');
    await q.rest.update(both, { Status: 'resolved', CustomFields: { Severity: 'low' } });
    const inSd = ticketBySummary(u, 'Changed in SD');
    u.ok(['ticket', 'update', inSd.uuid, '--', 'status=closed']);
    u.ok(['ticket', 'comment', inSd.uuid, '-m', 'Note from SD']);
    const file = join(u.home, 'trace.bin');
    const bytes = Buffer.concat([Buffer.from([0, 0xff, 0x0d, 0x0a]), randomBytes(40_000)]);
    writeFileSync(file, bytes);
    u.ok(['ticket', 'attachment', 'create', inSd.uuid, '-f', file]);
    const made = createdId(u.ok(['ticket', 'create', '--summary', 'Made in SD', '--', 'status=open']));

    await sdOk(u, ['pull', '--from', url]);
    const pulled = ticketBySummary(u, 'Changed in RT');
    expect(pulled.props.status).toBe('closed');
    expect(prop(pulled, /severity/i)).toBe('low');
    expect(pulled.comments.filter((c) => c.props.content?.trim() === 'Answer from RT').map(commentKind)).toEqual(['correspond']);

    await sdOk(u, ['push', '--to', url]);
    expect((await q.rest.ticket(closing)).Status).toBe('resolved');
    expect((await rtMessages(q, closing)).filter((m) => m === 'Note from SD')).toHaveLength(1);
    const files = (await q.rest.attachments(closing)).filter((a) => a.Filename === 'trace.bin');
    expect(files).toHaveLength(1);
    expect(files[0]!.bytes.equals(bytes)).toBe(true);
    const ids = await q.rest.search(q.queue);
    expect(ids).toHaveLength(3);
    const created = ids.find((id) => id !== both && id !== closing)!;
    expect(await q.rest.ticket(created)).toMatchObject({ Subject: 'Made in SD', Status: 'open' });
    expect((await q.rest.ticket(both)).Status).toBe('resolved');

    // What SD pushed does not come back as new tickets or comments.
    await sdOk(u, ['pull', '--from', url]);
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Changed in RT', 'Changed in SD', 'Made in SD']);
    expect(ticketBySummary(u, 'Made in SD').uuid).toBe(made.uuid);
    expect(commentTexts(ticketBySummary(u, 'Changed in SD')).filter((c) => c.trim() === 'Note from SD')).toHaveLength(1);
    expect(ticketBySummary(u, 'Changed in SD').attachments).toHaveLength(1);

    // Reopened in SD: closed -> open in RT too.
    u.ok(['ticket', 'update', pulled.uuid, '--', 'status=open']);
    await sdOk(u, ['push', '--to', url]);
    expect((await q.rest.ticket(both)).Status).toBe('open');
    await sdOk(u, ['push', '--to', url]);
    expect(await q.rest.search(q.queue)).toHaveLength(3);
  });

  it('pulls back what an RT scrip changed when SD pushed an update', async () => {
    const q = await freshQueue('scrip');
    const id = await q.rest.createTicket(q.queue, { subject: 'Watched by a scrip', priority: 5 });
    const u = sdUser('alice@example.com', 'alice');
    const url = rtUrl(q);
    await sdOk(u, ['clone', '--from', url]);
    const t = ticketBySummary(u, 'Watched by a scrip');
    expect(prop(t, /^priority(_integer)?$/i)).toBe('5');
    u.ok(['ticket', 'update', t.uuid, '--', 'status=stalled']);
    await sdOk(u, ['push', '--to', url]);
    const inRt = await q.rest.ticket(id);
    expect(inRt.Status).toBe('stalled');
    expect(Number(inRt.Priority)).toBe(77);

    await sdOk(u, ['pull', '--from', url]);
    const after = ticketBySummary(u, 'Watched by a scrip');
    expect(prop(after, /^priority(_integer)?$/i)).toBe('77');
    expect(after.props.status).toBe('stalled');
  });

  it('repeats a sync as a no-op, in a bounded number of requests; one remote change costs little more', async () => {
    const q = await freshQueue('seed');
    const ids = await seedTickets(q.server, q.queue, 12);
    const proxy = await startCountingProxy(q.server.url);
    proxies.push(proxy);
    const url = rtUrl(q, { base: proxy.url });
    const u = sdUser('alice@example.com', 'alice');
    await remoteSecondsOver();
    await sdOk(u, ['clone', '--from', url]);
    expect(allTickets(u)).toHaveLength(12);
    const before = replicaState(u);
    const rtBefore = (await q.rest.transactions(ids[0]!)).length;

    proxy.reset();
    await sdOk(u, ['pull', '--from', url]);
    expect(replicaState(u)).toBe(before);
    // Not one request (or more) per ticket: a search for what changed, a login.
    expect(proxy.requests.length, JSON.stringify(proxy.requests)).toBeLessThan(12);

    proxy.reset();
    await sdOk(u, ['push', '--to', url]);
    // Nothing to send: no ticket made, changed or commented on.
    const writes = proxy.requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE' || (r.method === 'POST' && /\/ticket(\/\d+\/\w+)?(\?|$)/.test(r.path)));
    expect(writes, JSON.stringify(proxy.requests)).toEqual([]);
    expect(proxy.requests.length).toBeLessThan(12);
    expect((await q.rest.transactions(ids[0]!)).length).toBe(rtBefore);
    await sdOk(u, ['pull', '--from', url]);
    expect(replicaState(u)).toBe(before);

    await q.rest.comment(ids[4]!, 'One change among twelve');
    proxy.reset();
    await sdOk(u, ['pull', '--from', url]);
    expect(proxy.requests.length, JSON.stringify(proxy.requests)).toBeLessThan(12);
    const changed = allTickets(u).filter((t) => commentTexts(t).some((c) => c.trim() === 'One change among twelve'));
    expect(changed.map((t) => t.props.summary)).toEqual(['seeded ticket 5']);
  });

  it('--dry-run pull and push change nothing on either side; without it they do', async () => {
    const q = await freshQueue();
    const remote = await q.rest.createTicket(q.queue, { subject: 'Remote edit', status: 'open' });
    const local = await q.rest.createTicket(q.queue, { subject: 'Local edit', status: 'open' });
    const u = sdUser('alice@example.com', 'alice');
    const url = rtUrl(q);
    await sdOk(u, ['clone', '--from', url]);
    await q.rest.comment(remote, 'Seen in a dry run');
    await q.rest.setStatus(remote, 'stalled');
    u.ok(['ticket', 'update', ticketBySummary(u, 'Local edit').uuid, '--', 'summary=Local edit, renamed']);
    const before = replicaState(u);
    const rtTransactions = (await q.rest.transactions(local)).length;

    await sdOk(u, ['pull', '--from', url, '--dry-run']);
    expect(replicaState(u)).toBe(before);
    await sdOk(u, ['push', '--to', url, '--dry-run']);
    expect((await q.rest.ticket(local)).Subject).toBe('Local edit');
    expect((await q.rest.transactions(local)).length).toBe(rtTransactions);

    await sdOk(u, ['pull', '--from', url]);
    expect(ticketBySummary(u, 'Remote edit').props.status).toBe('stalled');
    await sdOk(u, ['push', '--to', url]);
    expect((await q.rest.ticket(local)).Subject).toBe('Local edit, renamed');
  });
});
