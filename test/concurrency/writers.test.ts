/**
 * Many processes writing one replica at once: every write waits its turn
 * (BEGIN IMMEDIATE polled up to the busy timeout), none is refused, reads
 * never wait, and a lock held past the timeout gets one clear line.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { oneLine, sandboxesRemovedAfterEach } from '../cli/helpers.js';
import { sdUserWithReplica } from '../sd/sd-cli.js';
import { PROPHET, start } from '../helpers/processes.js';

const EDIT_LOOP = join(import.meta.dirname, 'fixtures/edit-loop.mjs');

const sandbox = sandboxesRemovedAfterEach();

interface Bug {
  luid: number;
  uuid: string;
  props: Record<string, string>;
}

describe('concurrent writers on one replica', () => {
  it('eight processes making 50 creates and 50 updates each all succeed, every record with its values', async () => {
    const box = sandbox();
    box.ok(['init']);
    const writers = Array.from({ length: 8 }, (_, w) => start(EDIT_LOOP, [`w${w}`, '50'], box.env, box.dir));
    const results = await Promise.all(writers.map((w) => w.done));
    for (const r of results) expect({ code: r.code, out: r.stdout.replace('started\n', ''), err: r.stderr }).toEqual({ code: 0, out: '', err: '' });

    const bugs = box.json<Bug[]>(['search', '--type', 'Bug']);
    expect(bugs).toHaveLength(400);
    const bySummary = new Map(bugs.map((b) => [b.props.summary, b.props]));
    for (let w = 0; w < 8; w++) {
      for (let i = 0; i < 50; i++) expect(bySummary.get(`w${w}-${i}`)).toMatchObject({ summary: `w${w}-${i}`, writer: `w${w}`, status: `done-w${w}-${i}` });
    }
    expect(new Set(bugs.map((b) => b.luid)).size).toBe(400);
    expect(box.json<{ records: { changesets: number } }>(['info']).records.changesets).toBe(800);
  });

  it('ten `sd ticket create` processes at once all succeed', async () => {
    const user = sdUserWithReplica();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => user.sdAsync(['ticket', 'create', '--', `summary=ticket ${i}`])));
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const listed = user.ok(['ticket', 'list', '--status', 'new']);
    for (let i = 0; i < 10; i++) expect(listed).toContain(`ticket ${i}`);
  });

  it('processes making the same new replica at once: one makes it, the others say it exists', async () => {
    const box = sandbox();
    const results = await Promise.all(Array.from({ length: 6 }, () => start(PROPHET, ['init'], box.env, box.dir).done));
    expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    for (const r of results.filter((x) => x.code !== 0)) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^prophet: a replica already exists at /);
    }
    box.create('Bug', { summary: 'works' });
  });

  it('processes opening a replica whose search index must be rebuilt at once all search right', async () => {
    const box = sandbox();
    box.ok(['init']);
    for (let i = 0; i < 6; i++) box.create('Bug', { summary: `bug ${i}`, status: i % 2 ? 'open' : 'closed' });
    // As a bulk load cut short leaves it: no query indexes, an empty search index, the flag saying so.
    const db = new Database(join(box.repo, 'db.sqlite'));
    db.exec("DROP INDEX main_records_type; DELETE FROM main_prop_values; INSERT INTO main_metadata VALUES ('search-index-stale', '1')");
    db.close();
    const searches = Array.from({ length: 6 }, () => start(PROPHET, ['search', '--type', 'Bug', '--json', '--', 'status=open'], box.env, box.dir).done);
    for (const r of await Promise.all(searches)) {
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as Bug[]).map((b) => b.props.summary)).toEqual(['bug 1', 'bug 3', 'bug 5']);
    }
  });

  it('a pull of thousands of changesets and another process editing run together; both complete', async () => {
    const box = sandbox();
    box.ok(['init']);
    box.create('Bug', { summary: 'first' });
    const target = join(box.dir, 'target');
    box.ok(['clone', '--from', box.repo, '--to', target]);
    // The source's new changesets, written in this process for speed: 2000 creates and 2000 updates.
    const source = Replica.open(box.repo, { env: box.env });
    for (let i = 0; i < 2000; i++) {
      const { uuid } = source.create('Bug', { summary: `src-${i}`, writer: 'src' });
      source.update('Bug', uuid, { status: `done-src-${i}` });
    }
    source.close();

    const stop = join(box.dir, 'stop');
    const editor = start(EDIT_LOOP, ['local', '20', stop], { ...box.env, PROPHET_REPO: target }, box.dir);
    await editor.waitFor(/^started$/m);
    const pull = await start(PROPHET, ['pull', '--from', box.repo], { ...box.env, PROPHET_REPO: target }, box.dir).done;
    writeFileSync(stop, '');
    const edited = await editor.done;
    expect({ code: pull.code, stderr: pull.stderr }).toEqual({ code: 0, stderr: '' });
    expect(pull.stdout).toMatch(/^Merged 4000 changesets/);
    expect({ code: edited.code, out: edited.stdout }).toEqual({ code: 0, out: 'started\n' });

    const bugs = box.json<Bug[]>(['search', '--type', 'Bug'], { env: { PROPHET_REPO: target } });
    const local = bugs.filter((b) => b.props.writer === 'local');
    expect(local.length).toBeGreaterThanOrEqual(20);
    for (const b of local) expect(b.props.status).toBe(`done-${b.props.summary}`);
    expect(bugs.filter((b) => b.props.writer === 'src')).toHaveLength(2000);
    for (const b of bugs.filter((x) => x.props.writer === 'src')) expect(b.props.status).toBe(`done-${b.props.summary}`);
    // The pull commits in batches of 2000; the editor got its turn between them.
    const t = Replica.open(target, { env: box.env });
    const log = [...t.changesets()].map((c) => (c.original_source_uuid === t.uuid ? 'L' : 'P')).join('');
    t.close();
    expect(log.slice(log.indexOf('P', 1), log.lastIndexOf('P'))).toContain('L');
  });
});

describe('a replica locked longer than the busy timeout', () => {
  it('refuses a write with one line and exit 1; reads go on; the write works once the lock is gone', () => {
    const box = sandbox();
    box.ok(['init']);
    box.create('Bug', { summary: 'before' });
    const holder = new Database(join(box.repo, 'db.sqlite'));
    holder.exec('BEGIN IMMEDIATE');
    const env = { PROPHET_BUSY_TIMEOUT_MS: '200' };
    try {
      for (const args of [['create', '--type', 'Bug', '--', 'summary=during'], ['update', '1', '--', 'summary=changed'], ['server', 'token', 'create']]) {
        const r = box.fails(args, { env });
        expect(r.code).toBe(1);
        expect(oneLine(r.stderr)).toBe(true);
        expect(r.stderr).toBe(`prophet: the replica at ${box.repo} is busy: another process has held it for 0.2 s; try again\n`);
      }
      expect(box.json<Bug[]>(['search', '--type', 'Bug'], { env }).map((b) => b.props.summary)).toEqual(['before']);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    box.create('Bug', { summary: 'after' });
    expect(box.json<Bug[]>(['search', '--type', 'Bug']).map((b) => b.props.summary)).toEqual(['before', 'after']);
  });

  it('refuses a pull into it the same way', () => {
    const box = sandbox();
    box.ok(['init']);
    const other = join(box.dir, 'other');
    box.ok(['clone', '--from', box.repo, '--to', other]);
    box.create('Bug', { summary: 'new' });
    const holder = new Database(join(other, 'db.sqlite'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = box.fails(['pull', '--from', box.repo], { env: { PROPHET_REPO: other, PROPHET_BUSY_TIMEOUT_MS: '100' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`prophet: the replica at ${other} is busy: another process has held it for 0.1 s; try again\n`);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(box.ok(['pull', '--from', box.repo], { env: { PROPHET_REPO: other } })).toMatch(/^Merged 1 changeset/);
  });

  it('says what is wrong with a busy timeout that is not a number', () => {
    const box = sandbox();
    box.ok(['init']);
    const r = box.fails(['search', '--type', 'Bug'], { env: { PROPHET_BUSY_TIMEOUT_MS: 'soon' } });
    expect(r.stderr).toBe("prophet: PROPHET_BUSY_TIMEOUT_MS must be a number of milliseconds, not 'soon'\n");
  });
});
