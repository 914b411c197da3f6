import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { start, type Running } from '../helpers/processes.js';
import { SD_BIN, type SdResult, type SdUser } from '../sd/sd-cli.js';
import type { CountingProxy } from './counting-proxy.js';

/** A record as `sd ... --json` prints it. */
export interface SdRecord {
  luid: number;
  uuid: string;
  props: Record<string, string>;
}

export interface SdTicket extends SdRecord {
  comments: SdRecord[];
  attachments: SdRecord[];
  history: unknown[];
}

/** Every ticket of the user's replica, whatever its status, in full (`ticket show --json`), by summary. */
export function allTickets(u: SdUser): SdTicket[] {
  const list = JSON.parse(u.ok(['ticket', 'list', '--regex', '.', '--json'])) as SdRecord[];
  return list.map((t) => JSON.parse(u.ok(['ticket', 'show', t.uuid, '--json'])) as SdTicket).sort((a, b) => (a.props.summary ?? '').localeCompare(b.props.summary ?? ''));
}

/** The one ticket with this summary (fails the test if there are none or several: a duplicate); two sd runs, whatever the replica's size. */
export function ticketBySummary(u: SdUser, summary: string): SdTicket {
  const list = JSON.parse(u.ok(['ticket', 'list', '--regex', '.', '--json'])) as SdRecord[];
  const found = list.filter((t) => t.props.summary === summary);
  expect(found.map((t) => t.props.summary), `tickets with summary ${JSON.stringify(summary)}`).toEqual([summary]);
  return JSON.parse(u.ok(['ticket', 'show', found[0]!.uuid, '--json'])) as SdTicket;
}

/** The bytes of an attachment, by its local id. */
export function attachmentBytes(u: SdUser, luid: number): Buffer {
  const r = u.sd(['ticket', 'attachment', 'content', String(luid)]);
  expect(r.code, r.stderr).toBe(0);
  return r.bytes;
}

/** What the replica holds, for "the local replica is unchanged": every ticket with its comments, attachments and history. */
export function replicaState(u: SdUser): string {
  return JSON.stringify(allTickets(u));
}

/** The comments' texts, sorted. */
export function commentTexts(t: SdTicket): string[] {
  return t.comments.map((c) => c.props.content ?? '').sort();
}

/**
 * The value of the one property whose name matches `name`: the interface
 * fixes what is carried, not every property's name (requestors may be
 * `reporter` or `requestors`, a custom field `CF-Severity` or `custom-severity`).
 */
export function prop(t: SdRecord, name: RegExp): string | undefined {
  const keys = Object.keys(t.props).filter((k) => name.test(k));
  expect(keys.length, `properties matching ${name} in ${JSON.stringify(t.props)}`).toBeLessThanOrEqual(1);
  return keys.length ? t.props[keys[0]!] : undefined;
}

/** The kind of an SD comment pulled from RT: 'comment' or 'correspond', from whichever property keeps it. */
export function commentKind(c: SdRecord): string | undefined {
  const v = Object.values(c.props).find((x) => /^(comment|correspond(ence)?)$/i.test(x));
  return v?.toLowerCase().replace(/ence$/, '');
}

/** Runs sd without blocking this process (a proxy or fake server the child talks to lives here). */
export async function sdRun(u: SdUser, args: string[], env: NodeJS.ProcessEnv = {}): Promise<SdResult> {
  return u.sdAsync(args, { env });
}

/** Runs sd and fails the test, showing its output, unless it succeeds. */
export async function sdOk(u: SdUser, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await sdRun(u, args, env);
  if (r.code !== 0) throw new Error(`sd ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** Starts sd as a child process that the test can kill (SIGKILL: no clean-up runs) while it works. */
export function sdStart(u: SdUser, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  return start(SD_BIN, args, { ...u.env, ...env }, u.home);
}

/** Asserts a failure as the project's rules want it: non-zero exit, one line on stderr naming sd. */
export function expectOneLineError(r: SdResult, ...mentions: RegExp[]): void {
  expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).not.toBe(0);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, 'one line on stderr').toHaveLength(1);
  expect(lines[0]).toMatch(/^sd: /);
  for (const m of mentions) expect(lines[0]).toMatch(m);
}

/** Every file under `dir` (recursively, binary ones too) whose bytes contain `secret`. */
export function filesContaining(dir: string, secret: string): string[] {
  const found: string[] = [];
  const needle = Buffer.from(secret);
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && readFileSync(path).includes(needle)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

/** Numbers anywhere in a `--json` report under keys matching `key` (the report's shape is not fixed). */
export function numbersAt(report: unknown, key: RegExp): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (key.test(k) && typeof x === 'number') out.push(x);
        walk(x);
      }
  };
  walk(report);
  return out;
}

/**
 * Waits until the seconds of the tracker's last edits are over: a search
 * calls records updated in the seconds before its answer unsettled and
 * the next pull reads them again, which is not what a request count of a
 * no-op pull is about.
 */
export async function remoteSecondsOver(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 2_500));
}

/**
 * Kills `sd pull --from url` at the proxy's `killAt`-th request, then
 * checks the next pull resumes (fewer requests than the `whole` pull
 * took), ends as `expectWhole` says, and a pull after it changes nothing.
 */
export async function expectKilledPullResumes(u: SdUser, url: string, proxy: CountingProxy, killAt: number, whole: number, expectWhole: () => void): Promise<void> {
  proxy.reset();
  const victim: { pid?: number } = {};
  proxy.onRequest(killAt, () => process.kill(victim.pid!, 'SIGKILL'));
  const child = sdStart(u, ['pull', '--from', url]);
  victim.pid = child.pid;
  const killed = await child.done;
  expect(killed.signal, `${killed.stdout}${killed.stderr}`).toBe('SIGKILL');

  proxy.reset();
  await sdOk(u, ['pull', '--from', url]);
  expect(proxy.requests.length, 'the resumed pull does not start again from nothing').toBeLessThan(whole);
  expectWhole();

  const after = replicaState(u);
  await sdOk(u, ['pull', '--from', url]);
  expect(replicaState(u)).toBe(after);
}
