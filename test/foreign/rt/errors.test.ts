import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { listen } from '../../http/static-server.js';
import { sdUser, type SdUser } from '../../sd/sd-cli.js';
import { describeRt, freshQueue, rtUrl, type RtQueue } from './rt-test.js';
import { commentTexts, expectOneLineError, replicaState, sdOk, sdRun, ticketBySummary } from '../sd-side.js';

const AGENT = { user: 'sd-agent', password: 'Plugh-Xyzzy-4711' };
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A queue with one ticket and a comment, cloned into a fresh replica; the URL logs in as sd-agent. */
async function cloned(): Promise<{ q: RtQueue; u: SdUser; url: string; id: number }> {
  const q = await freshQueue();
  const id = await q.rest.createTicket(q.queue, { subject: 'Existing ticket', content: 'text', status: 'open' });
  await q.rest.comment(id, 'An old comment');
  const url = urlAs(q, AGENT.user, AGENT.password);
  const u = sdUser('alice@example.com', 'alice');
  await sdOk(u, ['clone', '--from', url]);
  return { q, u, url, id };
}

function urlAs(q: RtQueue, user: string, password: string, queue = q.queue, sql = ''): string {
  return rtUrl({ server: { ...q.server, user, password }, queue }, { sql });
}

/** Runs `sd ...args`, expects one line of error mentioning `mentions`, no secret, and the replica as it was. */
async function failsCleanly(u: SdUser, args: string[], ...mentions: RegExp[]): Promise<string> {
  const before = replicaState(u);
  const r = await sdRun(u, args);
  expectOneLineError(r, ...mentions);
  expect(r.stdout + r.stderr).not.toContain(AGENT.password);
  expect(replicaState(u)).toBe(before);
  return r.stderr;
}

describeRt('bad input: one line on stderr, non-zero exit, the local replica unchanged', { timeout: 900_000 }, () => {
  it('RT unreachable', async () => {
    const { u, q } = await cloned();
    const server = createServer();
    const { url, close } = await listen(server);
    await close(); // a port nothing listens on any more
    const port = new URL(url).port;
    await failsCleanly(u, ['pull', '--from', `rt:http://${AGENT.user}:${AGENT.password}@127.0.0.1:${port}|${q.queue}|`], new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('wrong password', async () => {
    const { u, q } = await cloned();
    const stderr = await failsCleanly(u, ['pull', '--from', urlAs(q, AGENT.user, 'Wrong-Guess-5150')], /password|credential|auth|log ?in|401/i);
    expect(stderr).not.toContain('Wrong-Guess-5150');
  });

  it('unknown queue', async () => {
    const { u, q } = await cloned();
    await failsCleanly(u, ['pull', '--from', urlAs(q, AGENT.user, AGENT.password, 'No-Such-Queue-4242')], /No-Such-Queue-4242/);
  });

  it('invalid TicketSQL', async () => {
    const { u, q } = await cloned();
    await failsCleanly(u, ['pull', '--from', urlAs(q, AGENT.user, AGENT.password, q.queue, "Subject = = 'x' ((")], /TicketSQL|query|SQL/i);
  });

  it('a ticket deleted in RT: the push of a change to it fails and resurrects nothing; a pull loses nothing', async () => {
    const { u, q, url, id } = await cloned();
    const t = ticketBySummary(u, 'Existing ticket');
    u.ok(['ticket', 'update', t.uuid, '--', 'summary=Edited in SD']);
    u.ok(['ticket', 'comment', t.uuid, '-m', 'Written after RT deleted it']);
    await q.rest.deleteTicket(id);

    await failsCleanly(u, ['push', '--to', url], new RegExp(`#?${id}\\b|deleted`, 'i'));
    const inRt = await q.rest.ticket(id);
    expect(inRt.Status).toBe('deleted');
    expect(inRt.Subject).toBe('Existing ticket');

    const r = await sdRun(u, ['pull', '--from', url]);
    if (r.code !== 0) expectOneLineError(r);
    const kept = ticketBySummary(u, 'Edited in SD');
    expect(commentTexts(kept).map((c) => c.trim())).toEqual(expect.arrayContaining(['An old comment', 'Written after RT deleted it']));
  });

  it('an attachment too large for RT (it drops files over its MaxAttachmentSize, 1 MiB here)', async () => {
    const { u, q, url, id } = await cloned();
    const t = ticketBySummary(u, 'Existing ticket');
    const file = join(u.home, 'huge.bin');
    const bytes = randomBytes(1536 * 1024);
    writeFileSync(file, bytes);
    u.ok(['ticket', 'attachment', 'create', t.uuid, '-f', file]);
    await failsCleanly(u, ['push', '--to', url], /huge\.bin/);
    // Never a silently truncated copy in RT.
    for (const a of (await q.rest.attachments(id)).filter((x) => x.Filename === 'huge.bin')) expect(a.bytes.equals(bytes)).toBe(true);
  });

  it('a server answering HTML instead of RT JSON', async () => {
    const { u, q } = await cloned();
    const html = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>Welcome to our portal</h1></body></html>'));
    const { url, close } = await listen(html);
    closers.push(close);
    const port = new URL(url).port;
    await failsCleanly(u, ['pull', '--from', `rt:http://${AGENT.user}:${AGENT.password}@127.0.0.1:${port}|${q.queue}|`], /HTML|JSON|not .*RT|Request Tracker/i);
  });
});
