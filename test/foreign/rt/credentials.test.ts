import { expect, it } from 'vitest';
import { sdUser } from '../../sd/sd-cli.js';
import { describeRt, freshQueue, rtUrl } from './rt-test.js';
import { allTickets, expectOneLineError, filesContaining, sdRun, ticketBySummary } from '../sd-side.js';

const AGENT = { user: 'sd-agent', password: 'Plugh-Xyzzy-4711' };

describeRt('RT credentials', { timeout: 900_000 }, () => {
  it('from the URL: used, and never written to any file, stdout, stderr or --json', async () => {
    const q = await freshQueue();
    await q.rest.createTicket(q.queue, { subject: 'Secret keeping', content: 'x', status: 'open' });
    const url = rtUrl({ server: { ...q.server, ...AGENT }, queue: q.queue });
    const u = sdUser('alice@example.com', 'alice');
    const outputs: string[] = [];
    const run = async (args: string[]) => {
      const r = await sdRun(u, args);
      outputs.push(r.stdout, r.stderr);
      expect(r.code, r.stderr).toBe(0);
    };
    await run(['clone', '--from', url, '--json']);
    u.ok(['ticket', 'update', ticketBySummary(u, 'Secret keeping').uuid, '--', 'status=stalled']);
    await run(['push', '--to', url, '--json']);
    await run(['pull', '--from', url, '--json']);
    await run(['pull', '--from', url]);
    expect((await q.rest.ticket((await q.rest.search(q.queue))[0]!)).Status).toBe('stalled');
    for (const out of outputs) expect(out).not.toContain(AGENT.password);
    expect(filesContaining(u.home, AGENT.password)).toEqual([]);
  });

  it('from SD_RT_USER and SD_RT_PASSWORD, for a URL without them; without any and no terminal, one clear line', async () => {
    const q = await freshQueue();
    await q.rest.createTicket(q.queue, { subject: 'Logged in from the environment', content: 'x' });
    const url = rtUrl(q, { credentials: false });
    const u = sdUser('alice@example.com', 'alice');

    const none = await sdRun(u, ['clone', '--from', url]);
    expectOneLineError(none, /SD_RT_USER|SD_RT_PASSWORD|password|credential|log ?in/i);

    const env = { SD_RT_USER: AGENT.user, SD_RT_PASSWORD: AGENT.password };
    const cloned = await sdRun(u, ['clone', '--from', url, '--json'], env);
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Logged in from the environment']);
    const pulled = await sdRun(u, ['pull', '--from', url], env);
    expect(pulled.code, pulled.stderr).toBe(0);
    for (const out of [none, cloned, pulled].flatMap((r) => [r.stdout, r.stderr])) expect(out).not.toContain(AGENT.password);
    expect(filesContaining(u.home, AGENT.password)).toEqual([]);
  });
});
