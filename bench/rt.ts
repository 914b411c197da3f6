/**
 * Request Tracker sync: a clone of a queue of 1,000 tickets with ~5
 * transactions each (create with text, comment, correspondence, status,
 * custom field), then an incremental pull with 10 tickets changed, and a
 * pull with nothing changed. Requests are counted by a proxy in front of RT.
 * Needs a running RT from test/foreign/rt/rt-setup.sh (as root, for the
 * seeding): SD_RT_URL=http://127.0.0.1:PORT [SD_RT_DIR] [BENCH_RT_TICKETS]
 * npm run bench:rt
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCountingProxy } from '../test/foreign/counting-proxy.js';
import { RtRest } from '../test/foreign/rt/rt-rest.js';
import { RT_PASSWORD, RT_USER } from '../test/foreign/rt/rt-server.js';
import { seedTickets } from '../test/foreign/rt/seed.js';
import { sdRunner } from './foreign-run.js';
import { writeResults } from './results.js';

const RT = process.env.SD_RT_URL?.replace(/\/$/, '');
if (!RT) throw new Error('bench/rt.ts needs SD_RT_URL=http://127.0.0.1:PORT of an RT started by test/foreign/rt/rt-setup.sh');
const PORT = Number(new URL(RT).port);
const DIR = process.env.SD_RT_DIR ?? `/var/tmp/sd-rt-${PORT}`;
const TICKETS = Number(process.env.BENCH_RT_TICKETS ?? 1000);
const CHANGED = 10;

const rest = new RtRest({ url: RT, user: RT_USER, password: RT_PASSWORD });
const queue = await rest.createQueue(`bench-${Date.now().toString(36)}`);
const t = Date.now();
const ids = await seedTickets({ port: PORT, dir: DIR }, queue, TICKETS, 'bench');
console.log(`seeded ${ids.length} tickets in ${((Date.now() - t) / 1000).toFixed(0)} s`);

const proxy = await startCountingProxy(RT);
const url = `rt:${proxy.url.replace('://', `://${RT_USER}:${RT_PASSWORD}@`)}|${queue}|`;
const home = mkdtempSync(join(tmpdir(), 'sd-bench-rt-'));
const env = { ...process.env, HOME: home, SD_REPO: join(home, 'replica'), EMAIL: 'bench@example.com', PROPHET_CREDENTIALS: join(home, 'credentials') };

const run = sdRunner(proxy, env);

const clone = await run('clone', ['clone', '--from', url]);
// RT's LastUpdated has one-second steps: changes in a later second than the clone's window.
await new Promise((resolve) => setTimeout(resolve, 1100));
for (const id of ids.slice(0, CHANGED)) await rest.call('POST', `ticket/${id}/comment`, { Content: 'changed for the bench', ContentType: 'text/plain' });
// The changes' seconds over, as between a remote edit and a pull: records updated in the seconds before a search are read again by the next pull.
await new Promise((resolve) => setTimeout(resolve, 2500));
const incremental = await run('incremental pull', ['pull', '--from', url]);
const noop = await run('no-op pull', ['pull', '--from', url]);
await proxy.close();

const rate = (n: number, s: number) => `${(n / s).toFixed(1)} tickets/s`;
// The summary line names the rt: URL, whose '|' would end a table cell.
const said = (out: string) => out.replace(/ (from|into|to) \S+/g, '').replace(/\|/g, '\\|');
writeResults('rt', `RT sync: clone of ${TICKETS.toLocaleString('en')} tickets, incremental pulls (issue 10)`, [
  ['RT', '5.0.3 (Debian), SQLite, 2 Starlet workers, on this machine (shared with other work); tickets seeded by test/foreign/rt/rt-seed.pl, 5 transactions each'],
  [`clone of ${TICKETS} tickets`, `${clone.s.toFixed(1)} s, ${clone.requests} requests, ${rate(TICKETS, clone.s)} (${said(clone.out)})`],
  [`pull with ${CHANGED} tickets changed (a comment each)`, `${incremental.s.toFixed(1)} s, ${incremental.requests} requests (${said(incremental.out)})`],
  ['pull with nothing changed', `${noop.s.toFixed(1)} s, ${noop.requests} requests (${said(noop.out)})`],
  ['where the clone\'s time goes', `${(clone.requests / TICKETS).toFixed(1)} requests a ticket (history, ticket, message parts, files), ${((clone.s * 1000) / clone.requests).toFixed(0)} ms a request: RT-bound. The incremental pull is O(changed): login, queue, search, then a few per changed ticket`],
]);
