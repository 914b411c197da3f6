import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { oneLine, Sandbox, type RunResult } from '../cli/helpers.js';
import { newReplica, tempDir } from '../helpers/temp-replica.js';
import { plantGzipBomb } from './helpers.js';
import { startHostileServer, type HostileServer } from './hostile-server.js';

/**
 * The command line against a server that misbehaves: every failure is one
 * line naming the URL (exit 1, never 70, the internal error), comes within
 * seconds, leaves the replica as it was, and takes bounded memory; a cut
 * connection is retried, so a server that recovers is pulled from.
 */

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const PACK = /^\/packs\/[0-9a-f]{64}\.pack$/;
const MANIFEST = /^\/replica\.json$/;
/** Low enough that a hang fails fast; high enough for a loaded machine's honest answers. */
const QUICK = { PROPHET_HTTP_TIMEOUT_MS: '1000' };
const TIME = '/usr/bin/time';

interface Setup {
  alice: Replica;
  site: string;
  host: HostileServer;
  box: Sandbox;
  /** Where a clone goes. */
  clone: string;
}

/** Alice's three bugs, published and served by a hostile host; a sandbox for Bob's command lines. */
async function setUp(): Promise<Setup> {
  const alice = newReplica();
  for (const summary of ['one', 'two', 'three']) alice.create('Bug', { summary });
  const site = tempDir();
  publishToDirectory(alice, site);
  const host = await startHostileServer(site);
  const box = new Sandbox({ PROPHET_EMAIL: 'bob@example.com' });
  cleanup.push(
    () => box.cleanup(),
    () => host.close(),
  );
  return { alice, site, host, box, clone: join(box.dir, 'clone') };
}

/** Failed as a user's problem should: not 0, not 70, one line naming `url`, no stack trace. */
function expectCleanFailure(r: RunResult, url: string | RegExp): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code, r.stderr).not.toBe(70);
  expect(oneLine(r.stderr), r.stderr).toBe(true);
  expect(r.stderr).toMatch(typeof url === 'string' ? new RegExp(url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : url);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/** The bugs' summaries in a replica, sorted. */
function summaries(box: Sandbox, repo: string): string[] {
  return box
    .json<Array<{ props: { summary: string } }>>(['search', '--type', 'Bug', '--repo', repo])
    .map((r) => r.props.summary)
    .sort();
}

/** A replica's state as far as a pull could change it: its log's length and its records. */
function state(box: Sandbox, repo: string): unknown {
  const info = box.json<{ records: { latest_sequence_no: number } }>(['info', '--repo', repo]);
  return { latest: info.records.latest_sequence_no, bugs: summaries(box, repo) };
}

/** Runs a command line, under /usr/bin/time where there is one, to learn the child's peak memory. */
async function measured(box: Sandbox, args: string[]): Promise<RunResult & { peakMiB?: number }> {
  if (!existsSync(TIME)) return box.start(args);
  const report = join(box.dir, 'time.txt');
  const r = await box.start(args, { prefix: [TIME, '-v', '-o', report] });
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(report, 'utf8'));
  return { ...r, peakMiB: kb ? Number(kb[1]) / 1024 : undefined };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = Date.now();
  const result = await fn();
  return { result, seconds: (Date.now() - start) / 1000 };
}

describe('a server that cuts its answers short', () => {
  it('is retried: a connection closed mid-answer once, then served, still gives a whole clone', async () => {
    const { host, box, clone } = await setUp();
    host.misbehave('close-mid-body', MANIFEST, 1);
    host.misbehave('close-mid-body', PACK, 1);
    const r = await box.start(['clone', '--from', host.url, '--to', clone]);
    expect(r.code, r.stderr).toBe(0);
    expect(summaries(box, clone)).toEqual(['one', 'three', 'two']);
    expect(host.requests.filter((q) => MANIFEST.test(q.path))).toHaveLength(2);
    expect(host.requests.filter((q) => PACK.test(q.path))).toHaveLength(2);
  });

  it('gives up after the retries with one line, and leaves no clone behind', async () => {
    const { host, box, clone } = await setUp();
    host.misbehave('close-mid-body', PACK);
    const r = await box.start(['clone', '--from', host.url, '--to', clone]);
    expectCleanFailure(r, /GET http:\/\/127\.0\.0\.1:\d+\/packs\/[0-9a-f]{64}\.pack failed after 4 attempts: the connection closed before the whole answer arrived/);
    expect(existsSync(clone)).toBe(false);
  });

  it('a Content-Length longer than the answer is a cut connection: retried, and pulled once the server recovers', async () => {
    const { alice, site, host, box, clone } = await setUp();
    expect((await box.start(['clone', '--from', host.url, '--to', clone])).code).toBe(0);
    alice.create('Bug', { summary: 'four' });
    publishToDirectory(alice, site);
    const before = state(box, clone);

    host.misbehave('long-content-length', MANIFEST);
    const refused = await box.start(['pull', '--from', host.url, '--repo', clone]);
    expectCleanFailure(refused, `GET ${host.url}replica.json failed after 4 attempts: the answer was not as long as its Content-Length said`);
    expect(state(box, clone)).toEqual(before);

    host.recover();
    host.misbehave('long-content-length', MANIFEST, 1);
    const pulled = await box.start(['pull', '--from', host.url, '--repo', clone]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(summaries(box, clone)).toEqual(['four', 'one', 'three', 'two']);
  });

  it('a pack whose Content-Length passes the size replica.json lists is refused before it is read', async () => {
    const { host, box, clone } = await setUp();
    host.misbehave('long-content-length', PACK);
    const r = await box.start(['clone', '--from', host.url, '--to', clone]);
    expectCleanFailure(r, /\/packs\/[0-9a-f]{64}\.pack is \d+\.\d KiB, over the \d+ bytes limit for this pack \(its size in replica\.json\)/);
    expect(host.requests.filter((q) => PACK.test(q.path))).toHaveLength(1);
    expect(existsSync(clone)).toBe(false);
  });

  it('a Content-Length shorter than the file gives a truncated answer: refused as bad data, not retried', async () => {
    const { host, box, clone } = await setUp();
    host.misbehave('short-content-length', PACK);
    const r = await box.start(['clone', '--from', host.url, '--to', clone]);
    expectCleanFailure(r, /http:\/\/127\.0\.0\.1:\d+\/packs\/[0-9a-f]{64}\.pack: content hash .* does not match its name/);
    expect(existsSync(clone)).toBe(false);
  });
});

describe('a server that goes quiet', () => {
  it('one that stalls partway through a pack fails within seconds and leaves the replica unchanged', async () => {
    const { alice, site, host, box, clone } = await setUp();
    expect((await box.start(['clone', '--from', host.url, '--to', clone])).code).toBe(0);
    alice.create('Bug', { summary: 'four' });
    publishToDirectory(alice, site);
    const before = state(box, clone);

    host.misbehave('stall-body', PACK, 1);
    const { result, seconds } = await timed(() => box.start(['pull', '--from', host.url, '--repo', clone], { env: QUICK }));
    expectCleanFailure(result, /GET http:\/\/127\.0\.0\.1:\d+\/packs\/[0-9a-f]{64}\.pack: the answer stalled: nothing more came for 1 s \(PROPHET_HTTP_TIMEOUT_MS/);
    expect(seconds).toBeLessThan(15);
    expect(state(box, clone)).toEqual(before);

    const pulled = await box.start(['pull', '--from', host.url, '--repo', clone]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(summaries(box, clone)).toEqual(['four', 'one', 'three', 'two']);
  });

  it('one that never answers fails within seconds, not minutes', async () => {
    const { host, box, clone } = await setUp();
    host.misbehave('never-answer', MANIFEST);
    const { result, seconds } = await timed(() => box.start(['clone', '--from', host.url, '--to', clone], { env: QUICK }));
    expectCleanFailure(result, `GET ${host.url}replica.json: no answer within 1 s`);
    expect(seconds).toBeLessThan(15);
    expect(host.requests).toHaveLength(1);
    expect(existsSync(clone)).toBe(false);
  });

  it('refuses a timeout that is not a number', async () => {
    const { host, box, clone } = await setUp();
    const r = await box.start(['clone', '--from', host.url, '--to', clone], { env: { PROPHET_HTTP_TIMEOUT_MS: 'soon' } });
    expectCleanFailure(r, "PROPHET_HTTP_TIMEOUT_MS must be a positive number of milliseconds, not 'soon'");
  });
});

describe('a server that sends too much', () => {
  it('an endless replica.json is refused at the limit, in bounded memory', async () => {
    const { host, box, clone } = await setUp();
    host.misbehave('endless-body', MANIFEST);
    const r = await measured(box, ['clone', '--from', host.url, '--to', clone]);
    expectCleanFailure(r, `${host.url}replica.json goes past the 16 MiB limit for replica.json`);
    // Without the limit, a 3 GB replica.json took the client past 4 GB.
    if (r.peakMiB !== undefined) expect(r.peakMiB).toBeLessThan(250);
    expect(existsSync(clone)).toBe(false);
  });

  it('a replica.json that says it is 3 GiB is refused before any of it is read', async () => {
    const { host, box, clone } = await setUp();
    host.misbehave('huge-content-length', MANIFEST);
    const r = await box.start(['clone', '--from', host.url, '--to', clone]);
    expectCleanFailure(r, `${host.url}replica.json is 3 GiB, over the 16 MiB limit for replica.json`);
  });

  it('a gzip bomb of a pack is refused as it passes the limit, in bounded memory', async () => {
    const { site, host, box, clone } = await setUp();
    const bomb = plantGzipBomb(site);
    const r = await measured(box, ['clone', '--from', host.url, '--to', clone]);
    expectCleanFailure(r, `${host.url}packs/${bomb}.pack expands past the 128 MiB limit for a pack's text`);
    // Without the limit, inflating it all took 1.5 GB.
    if (r.peakMiB !== undefined) expect(r.peakMiB).toBeLessThan(400);
    expect(existsSync(clone)).toBe(false);
  });
});

describe('credentials in a URL', () => {
  it('are sent as Basic authentication and never printed', async () => {
    const { host, box, clone } = await setUp();
    const secret = host.url.replace('http://', 'http://alice:hunter2@');
    const cloned = await box.start(['clone', '--from', secret, '--to', clone]);
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(host.requests[0]!.authorization).toBe(`Basic ${Buffer.from('alice:hunter2').toString('base64')}`);
    expect(cloned.stdout).toContain('http://alice:***@127.0.0.1');
    expect(cloned.stdout).not.toContain('hunter2');

    host.misbehave('never-answer', MANIFEST);
    const pulled = await box.start(['pull', '--from', secret, '--repo', clone, '--debug'], { env: QUICK });
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toContain('http://alice:***@127.0.0.1');
    expect(pulled.stderr).not.toContain('hunter2');
  });
});
