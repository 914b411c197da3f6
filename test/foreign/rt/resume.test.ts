import { afterEach, expect, it } from 'vitest';
import { sdUser, sdUserWithReplica } from '../../sd/sd-cli.js';
import { startCountingProxy, type CountingProxy } from '../counting-proxy.js';
import { describeRt, freshQueue, rtUrl } from './rt-test.js';
import { allTickets, commentTexts, expectKilledPullResumes, expectOneLineError, sdOk, sdRun, type SdTicket } from '../sd-side.js';
import { seedTickets } from './seed.js';

const proxies: CountingProxy[] = [];
afterEach(async () => {
  while (proxies.length) await proxies.pop()!.close();
});

/** What must match between two replicas that pulled the same queue: per ticket, its fields from RT and its comments. */
function content(tickets: SdTicket[]): unknown[] {
  return tickets.map((t) => ({ summary: t.props.summary, status: t.props.status, comments: commentTexts(t), attachments: t.attachments.length }));
}

describeRt('interrupted and failed syncs', { timeout: 900_000 }, () => {
  it('a pull killed midway resumes where it stopped, with nothing duplicated', async () => {
    const q = await freshQueue('seed');
    await seedTickets(q.server, q.queue, 12);
    const proxy = await startCountingProxy(q.server.url);
    proxies.push(proxy);
    const url = rtUrl(q, { base: proxy.url });

    // The whole pull, uninterrupted, to compare with and to know how many requests it takes.
    const whole = sdUser('ref@example.com', 'ref');
    await sdOk(whole, ['clone', '--from', url]);
    const expected = content(allTickets(whole));
    expect(expected).toHaveLength(12);
    const total = proxy.requests.length;

    const u = sdUserWithReplica('alice@example.com', 'alice');
    await expectKilledPullResumes(u, url, proxy, Math.max(2, Math.floor(total / 2)), total, () => expect(content(allTickets(u))).toEqual(expected));
  });

  it('a push that failed (RT down, permission denied) is sent by the next push, once', async () => {
    const q = await freshQueue();
    const id = await q.rest.createTicket(q.queue, { subject: 'Pushed late', status: 'open' });
    const proxy = await startCountingProxy(q.server.url);
    proxies.push(proxy);
    const url = rtUrl(q, { base: proxy.url, credentials: false });
    const agent = { SD_RT_USER: 'sd-agent', SD_RT_PASSWORD: 'Plugh-Xyzzy-4711' };
    const outsider = { SD_RT_USER: 'sd-outsider', SD_RT_PASSWORD: 'Frotz-Gnusto-2231' };
    const u = sdUser('alice@example.com', 'alice');
    await sdOk(u, ['clone', '--from', url], agent);
    const t = allTickets(u)[0]!;
    u.ok(['ticket', 'update', t.uuid, '--', 'status=stalled']);
    u.ok(['ticket', 'comment', t.uuid, '-m', 'Sent when RT is back']);

    proxy.down = true;
    expectOneLineError(await sdRun(u, ['push', '--to', url], agent));
    proxy.down = false;
    expectOneLineError(await sdRun(u, ['push', '--to', url], outsider));
    expect((await q.rest.ticket(id)).Status).toBe('open');

    await sdOk(u, ['push', '--to', url], agent);
    expect((await q.rest.ticket(id)).Status).toBe('stalled');
    const sent = async () => [...(await q.rest.messages(id, 'Comment')), ...(await q.rest.messages(id, 'Correspond'))].filter((m) => m.trim() === 'Sent when RT is back');
    expect(await sent()).toHaveLength(1);
    await sdOk(u, ['push', '--to', url], agent);
    expect(await sent()).toHaveLength(1);
  });
});
