/**
 * Fossil sync: a clone of a repository with 1,000 tickets (each made with
 * a description, then given a comment and a status change: 2 change
 * artifacts), an incremental pull with 10 tickets changed, and a pull with
 * nothing changed; from the repository file and from `fossil server`.
 * "Requests" are fossil runs (a clone or sync of the server's copy is
 * one). Needs the fossil program: [BENCH_FOSSIL_TICKETS] npm run bench:fossil
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/free-port.js';
import { writeResults } from './results.js';
import { runSd } from './sd-child.js';

const TICKETS = Number(process.env.BENCH_FOSSIL_TICKETS ?? 1000);
const CHANGED = 10;
const dir = mkdtempSync(join(tmpdir(), 'sd-bench-fossil-'));
const fossilEnv = { ...process.env, HOME: dir, USER: 'admin' };
const repo = join(dir, 'bench.fossil');

function fossil(args: string[]): string {
  const r = spawnSync('fossil', args, { env: fossilEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fossil ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

fossil(['init', '-A', 'admin', repo]);
fossil(['user', 'new', 'bench', 'bench@example.com', 'secret', '-R', repo]);
fossil(['user', 'capabilities', 'bench', 'ei', '-R', repo]);
const seeding = Date.now();
const ids: string[] = [];
for (let i = 0; i < TICKETS; i++) {
  const out = fossil(['ticket', 'add', 'title', `Ticket ${i}`, 'status', 'Open', 'type', 'Code_Defect', 'priority', 'Medium', 'comment', `Description of ticket ${i}`, '-R', repo]);
  const id = /succeeded for ([0-9a-f]+)/.exec(out)![1]!;
  ids.push(id);
  fossil(['ticket', 'set', id, '+icomment', `A comment on ${i}`, 'status', i % 2 ? 'Review' : 'Open', '-R', repo]);
}
console.log(`seeded ${TICKETS} tickets in ${((Date.now() - seeding) / 1000).toFixed(0)} s`);

async function run(label: string, home: string, args: string[]): Promise<{ s: number; requests: number; out: string }> {
  const env = { PATH: process.env.PATH, HOME: home, SD_REPO: join(home, 'replica'), EMAIL: 'bench@example.com' };
  const start = Date.now();
  const child = await runSd(args, env);
  if (child.code !== 0) throw new Error(`${label} failed: ${child.err}`);
  const s = (Date.now() - start) / 1000;
  const requests = Number(/(\d+) requests?\)/.exec(child.out)?.[1] ?? NaN);
  console.log(label, s.toFixed(1), 's:', child.out.trim());
  return { s, requests, out: child.out.trim() };
}

function change(from: number): void {
  for (const id of ids.slice(from, from + CHANGED)) fossil(['ticket', 'set', id, '+icomment', 'changed for the bench', 'status', 'Closed', '-R', repo]);
}

const port = await freePort();
const server = spawn('fossil', ['server', '--localhost', '--port', String(port), repo], { env: fossilEnv, stdio: 'ignore' });
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/json/version`)).ok) break;
  } catch {
    if (i > 200) throw new Error('fossil server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const measured: Record<string, Record<string, { s: number; requests: number; out: string }>> = {};
for (const [where, url, from] of [
  ['file', `fossil:${repo}`, 0],
  ['server', `fossil:http://bench:secret@127.0.0.1:${port}/`, CHANGED],
] as const) {
  const home = mkdtempSync(join(dir, `${where}-`));
  const clone = await run(`${where} clone`, home, ['clone', '--from', url]);
  change(from);
  const incremental = await run(`${where} incremental pull`, home, ['pull', '--from', url.replace('bench:secret@', '')]);
  const noop = await run(`${where} no-op pull`, home, ['pull', '--from', url.replace('bench:secret@', '')]);
  measured[where] = { clone, incremental, noop };
}
server.kill();

const version = fossil(['version']).trim().replace(/^This is fossil version /, '');
const said = (out: string) => out.replace(/ (from|into|to) \S+/g, '');
const rows: Array<[string, string]> = [['Fossil', `${version} (Debian), on this machine (shared with other work); tickets seeded with fossil ticket add/set, 2 change artifacts each (a description; a comment and a status)`]];
for (const [where, m] of Object.entries(measured)) {
  const label = where === 'file' ? 'repository file' : 'fossil server (SD keeps a clone, synced with fossil sync)';
  rows.push([`${label}: clone of ${TICKETS} tickets`, `${m.clone!.s.toFixed(1)} s, ${m.clone!.requests} fossil runs, ${(TICKETS / m.clone!.s).toFixed(0)} tickets/s (${said(m.clone!.out)})`]);
  rows.push([`${label}: pull with ${CHANGED} tickets changed (a comment and a status each)`, `${m.incremental!.s.toFixed(2)} s, ${m.incremental!.requests} fossil runs (${said(m.incremental!.out)})`]);
  rows.push([`${label}: pull with nothing changed`, `${m.noop!.s.toFixed(2)} s, ${m.noop!.requests} fossil runs (${said(m.noop!.out)})`]);
}
rows.push(['where the time goes', 'a pull is one fossil sql run for every change artifact after the last one read (row id), one for the repository\'s fields and users, and for a server one fossil sync: O(1) runs whatever the number of tickets; the time is the merge of what changed'] );
writeResults('fossil', `Fossil sync: clone of ${TICKETS.toLocaleString('en')} tickets, incremental pulls (issue 11)`, rows);
