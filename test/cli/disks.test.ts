import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { createToken } from '../../src/prophet/server/tokens.js';
import { call, serve } from '../http/live-server.js';
import { testEnv } from '../helpers/temp-replica.js';
import { oneLine, Sandbox } from './helpers.js';
import { bindReadOnly, fillDisk, mounting, mountTmpfs, skipNote, unmountAll } from '../helpers/mounts.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  while (boxes.length) boxes.pop()!.cleanup();
});
afterAll(unmountAll);

function sandbox(env: NodeJS.ProcessEnv = {}): Sandbox {
  const box = new Sandbox(env);
  boxes.push(box);
  return box;
}

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** A snapshot of a folder's files and their bytes. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((f) => [f, readFileSync(join(dir, f), 'base64')]));
}

const big = 'x'.repeat(5000);

describe.skipIf(!mounting.ok)(skipNote('a full disk'), () => {
  it('refuses create, update and server token create with one line (exit 1); the replica stays readable and intact', () => {
    const disk = mountTmpfs('2m');
    const repo = join(disk, 'r');
    const s = sandbox({ PROPHET_REPO: repo });
    s.ok(['init']);
    s.create('Bug', { summary: 'before' });
    const filler = fillDisk(disk);

    const full = new RegExp(`^prophet: the disk holding ${repo} is full: free space and retry; nothing was written\n$`);
    for (const args of [['create', '--type', 'Bug', '--', `summary=${big}`], ['update', '1', '--', `summary=${big}`], ['server', 'token', 'create']]) {
      const r = s.run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(full);
    }
    // Readable while the disk is still full.
    expect(s.json<Array<{ props: { summary: string } }>>(['search', '--type', 'Bug']).map((b) => b.props.summary)).toEqual(['before']);
    expect(s.json<unknown[]>(['log'])).toHaveLength(1);
    expect(s.ok(['server', 'token', 'list'])).toMatch(/No server tokens/);

    rmSync(filler);
    s.create('Bug', { summary: 'after' });
    expect(s.json<unknown[]>(['search', '--type', 'Bug'])).toHaveLength(2);
  });

  it('a server answers a write onto a full disk with 507, naming no path, and goes on serving reads', async () => {
    const disk = mountTmpfs('2m');
    const replica = Replica.init(join(disk, 'r'), { env: testEnv() });
    replica.create('Bug', { summary: 'before' });
    const { token } = createToken(replica);
    const server = await serve(replica, { writable: true });
    const filler = fillDisk(disk);

    const refused = await call(server, 'POST', '/records/Bug', { summary: big }, token);
    expect(refused.status).toBe(507);
    expect(refused.json).toEqual({ error: "the server's disk is full: nothing was written; try again later" });
    const read = await call(server, 'GET', '/records/Bug');
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.json)).toContain('before');

    rmSync(filler);
    expect((await call(server, 'POST', '/records/Bug', { summary: 'after' }, token)).status).toBe(201);
  });

  it('leaves a config file as it was when it cannot be written', () => {
    const disk = mountTmpfs('2m');
    const repo = join(disk, 'r');
    const s = sandbox({ PROPHET_REPO: repo });
    s.ok(['init']);
    s.ok(['config', 'replica.origin.url', 'http://example.com/origin/']);
    s.ok(['config', 'user.email-address', 'alice@example.com']);
    const before = readFileSync(join(repo, 'config'), 'utf8');
    fillDisk(disk);

    const r = s.run(['config', 'alias.long', big]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`prophet: the disk holding ${join(repo, 'config')} is full: free space and retry; nothing was written\n`);
    expect(readFileSync(join(repo, 'config'), 'utf8')).toBe(before);
    expect(readdirSync(repo).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(s.ok(['config', 'replica.origin.url']).trim()).toBe('http://example.com/origin/');
  });

  it('publish fails with one line, leaves no temporary files and the previous publication as it was', () => {
    const disk = mountTmpfs('2m');
    const site = join(disk, 'site');
    const s = sandbox();
    s.ok(['init']);
    s.create('Bug', { summary: 'published' });
    s.ok(['publish', site, '--html']);
    const before = snapshot(site);
    for (let i = 0; i < 5; i++) s.create('Bug', { summary: `${big} ${i}` });
    fillDisk(disk);

    const r = s.run(['publish', site, '--html']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`prophet: the disk holding ${site} is full: free space and retry; nothing was written\n`);
    expect(snapshot(site)).toEqual(before);
    expect(readdirSync(disk).filter((f) => f !== 'filler' && f !== 'site')).toEqual([]);
  });
});

/** Opens a replica's database from another process and keeps it open, so its -wal and -shm stay. */
async function holdOpen(file: string): Promise<() => void> {
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `const D = require(${JSON.stringify(betterSqlite)}); const db = new D(${JSON.stringify(file)});
    db.prepare('SELECT 1').get(); console.log('open'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => resolve());
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return () => child.kill('SIGTERM');
}

describe.skipIf(!mounting.ok)(skipNote('a replica on a read-only disk'), () => {
  function readOnlyReplica(): { s: Sandbox; source: string; ro: string } {
    const s = sandbox();
    const source = join(s.dir, 'disk');
    mkdirSync(source);
    s.ok(['init', '--repo', join(source, 'r')]);
    s.ok(['--repo', join(source, 'r'), 'create', '--type', 'Bug', '--', 'summary=on the stick', 'status=open']);
    return { s, source, ro: join(bindReadOnly(source), 'r') };
  }

  it('can be searched, shown, logged, cloned from and published from; a change says why it cannot be made', () => {
    const { s, ro } = readOnlyReplica();
    expect(readdirSync(ro)).toEqual(['db.sqlite']);
    const at = ['--repo', ro];
    expect(s.json<Array<{ props: { summary: string } }>>([...at, 'search', '--type', 'Bug'])[0]!.props.summary).toBe('on the stick');
    expect(s.ok([...at, 'show', '1', '--type', 'Bug'])).toMatch(/on the stick/);
    expect(s.json<unknown[]>([...at, 'log'])).toHaveLength(1);

    const copy = join(s.dir, 'copy');
    s.ok(['clone', '--from', ro, '--to', copy]);
    expect(s.ok(['--repo', copy, 'search', '--type', 'Bug'])).toMatch(/on the stick/);
    const site = join(s.dir, 'site');
    s.ok([...at, 'publish', site, '--html']);
    expect(existsSync(join(site, 'replica.json'))).toBe(true);

    const refused = s.run([...at, 'create', '--type', 'Bug', '--', 'summary=no']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`prophet: the replica at ${ro} is on a read-only disk (or not writable): cannot save changes\n`);
    expect(oneLine(s.run([...at, 'pull', '--from', copy]).stderr)).toBe(true);
    const config = s.run([...at, 'config', 'user.email-address', 'x@example.com']);
    expect(config.stderr).toBe(`prophet: ${join(ro, 'config')} is on a read-only disk (or not writable): cannot change the config\n`);
    expect(readdirSync(ro)).toEqual(['db.sqlite']);
  });

  it('reads the changes still in the log of a replica in use elsewhere', async () => {
    const { s, source, ro } = readOnlyReplica();
    const release = await holdOpen(join(source, 'r', 'db.sqlite'));
    try {
      s.ok(['--repo', join(source, 'r'), 'create', '--type', 'Bug', '--', 'summary=only in the log']);
      expect(readdirSync(ro).sort()).toEqual(['db.sqlite', 'db.sqlite-shm', 'db.sqlite-wal']);
      const summaries = s.json<Array<{ props: { summary: string } }>>(['--repo', ro, 'search', '--type', 'Bug']).map((b) => b.props.summary);
      expect(summaries).toEqual(['on the stick', 'only in the log']);
    } finally {
      release();
    }
  });

  it('refuses to create a replica there with one line', () => {
    const { s, ro } = readOnlyReplica();
    const target = join(ro, '..', 'new');
    const r = s.run(['init', '--repo', target]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/is on a read-only disk \(or not writable\): cannot create a replica there/);
  });
});
