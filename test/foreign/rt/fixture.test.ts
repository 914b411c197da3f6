import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { startCountingProxy } from '../counting-proxy.js';
import { describeRt, freshQueue } from './rt-test.js';
import { RtRest } from './rt-rest.js';
import { seedTickets } from './seed.js';

// The RT the acceptance tests stand on: if these fail, the failures elsewhere say nothing about SD.
describeRt('the RT test fixture', { timeout: 600_000 }, () => {
  it('makes tickets with requestors, cc, custom fields, comments, correspondence and byte-exact files, and reads them back', async () => {
    const { rest, queue } = await freshQueue();
    const blob = Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x0d, 0x0a, 0x80]), randomBytes(5000)]);
    const id = await rest.createTicket(queue, {
      subject: 'Printer on fire',
      content: 'It is on fire.',
      requestors: ['alice@example.test'],
      cc: ['bob@example.test', 'carol@example.test'],
      customFields: { Severity: 'high', Tags: ['hardware', 'urgent'] },
    });
    await rest.comment(id, 'internal note', [{ name: 'core.bin', type: 'application/octet-stream', bytes: blob }]);
    await rest.correspond(id, 'we are on it');
    await rest.setOwner(id, 'root');
    await rest.setStatus(id, 'open');

    const t = await rest.ticket(id);
    expect(t).toMatchObject({ Subject: 'Printer on fire', Status: 'open' });
    expect(t.Owner.id).toBe('root');
    expect(t.Requestor.map((r) => r.id)).toEqual(['alice@example.test']);
    expect(t.Cc.map((r) => r.id).sort()).toEqual(['bob@example.test', 'carol@example.test']);
    expect(await rest.customField(id, 'Severity')).toEqual(['high']);
    expect((await rest.customField(id, 'Tags')).sort()).toEqual(['hardware', 'urgent']);
    expect(await rest.messages(id, 'Create')).toEqual(['It is on fire.']);
    expect(await rest.messages(id, 'Comment')).toEqual(['internal note']);
    expect(await rest.messages(id, 'Correspond')).toEqual(['we are on it']);
    const files = await rest.attachments(id);
    expect(files.map((f) => [f.Filename, f.ContentType])).toEqual([['core.bin', 'application/octet-stream']]);
    expect(files[0]!.bytes.equals(blob)).toBe(true);
    const types = (await rest.transactions(id)).map((x) => x.Type);
    expect(types).toEqual(expect.arrayContaining(['Create', 'Comment', 'Correspond', 'Status', 'SetWatcher']));

    await rest.deleteTicket(id);
    expect((await rest.ticket(id)).Status).toBe('deleted');
    expect(await rest.search(queue)).toEqual([]);
  });

  it('has a scrip that sets priority 77 on a status change, only in queues named scrip-*', async () => {
    const scripped = await freshQueue('scrip');
    const plain = await freshQueue();
    const a = await scripped.rest.createTicket(scripped.queue, { subject: 'a', priority: 5 });
    const b = await plain.rest.createTicket(plain.queue, { subject: 'b', priority: 5 });
    await scripped.rest.setStatus(a, 'resolved');
    await plain.rest.setStatus(b, 'resolved');
    expect(Number((await scripped.rest.ticket(a)).Priority)).toBe(77);
    expect(Number((await plain.rest.ticket(b)).Priority)).toBe(5);
    const byScrip = (await scripped.rest.transactions(a)).find((x) => x.Field === 'Priority');
    expect(byScrip).toMatchObject({ OldValue: '5', NewValue: '77', Creator: 'RT_System' });
  });

  it('counts requests through a proxy that keeps RT links pointing at itself', async () => {
    const { server, queue } = await freshQueue();
    const proxy = await startCountingProxy(server.url);
    try {
      const viaProxy = new RtRest({ ...server, url: proxy.url });
      const id = await viaProxy.createTicket(queue, { subject: 'counted' });
      const before = proxy.requests.length;
      const answer = await viaProxy.call<{ EffectiveId: { _url: string } }>('GET', `ticket/${id}`);
      expect(proxy.requests.length).toBe(before + 1);
      expect(proxy.requests.at(-1)).toEqual({ method: 'GET', path: `/REST/2.0/ticket/${id}` });
      expect(answer.EffectiveId._url).toBe(`${proxy.url}/REST/2.0/ticket/${id}`);
      let fired = 0;
      proxy.onRequest(2, () => fired++);
      await viaProxy.ticket(id);
      expect(fired).toBe(0);
      await viaProxy.ticket(id);
      expect(fired).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('seeds tickets with five transactions each, for the benchmark', async () => {
    const { server, rest, queue } = await freshQueue('seed');
    const ids = await seedTickets(server, queue, 12);
    expect(await rest.search(queue)).toEqual(ids);
    const types = (await rest.transactions(ids[1]!)).map((x) => x.Type);
    expect(types).toEqual(['Create', 'Comment', 'Correspond', 'Status', 'CustomField']);
    expect(await rest.messages(ids[1]!, 'Create')).toEqual(['Created as seeded ticket 2.\n']);
    expect((await rest.ticket(ids[1]!)).Requestor.map((r) => r.id)).toEqual(['requestor2@example.test']);
  });
});
