import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { isRemoteDestination, publishRemote } from '../../src/prophet/publish/remote.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { parseManifest } from '../../src/prophet/transports/manifest.js';
import { PACK_MAX_CHANGESETS } from '../../src/prophet/transports/pack.js';
import type { ChangesetEntry } from '../../src/prophet/sync/source.js';
import { deadPid } from '../helpers/processes.js';
import { newReplica, tempDir } from '../helpers/temp-replica.js';
import { withPublished } from './helpers.js';

async function collect(batches: AsyncIterable<ChangesetEntry[]>): Promise<ChangesetEntry[]> {
  const all: ChangesetEntry[] = [];
  for await (const b of batches) all.push(...b);
  return all;
}

function manifestOf(dir: string) {
  return parseManifest(readFileSync(join(dir, 'replica.json'), 'utf8'), dir);
}

describe('publish to a folder', () => {
  it('removes the half-written files of a publish killed midway, not those of one still running', () => {
    const replica = newReplica();
    replica.create('Bug', { summary: 'x' });
    const dir = tempDir();
    publishToDirectory(replica, dir);
    const dead = deadPid();
    const abandoned = [join(dir, `replica.json.tmp-${dead}`), join(dir, 'packs', `${'a'.repeat(64)}.pack.tmp-${dead}`)];
    const running = join(dir, 'packs', `${'b'.repeat(64)}.pack.tmp-${process.pid}`);
    for (const f of [...abandoned, running]) writeFileSync(f, 'half');
    publishToDirectory(replica, dir);
    expect(abandoned.filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(running)).toBe(true);
  });

  it('writes the identity, content-addressed packs and a manifest, then only new packs on re-publish', () => {
    const replica = newReplica();
    for (let i = 0; i < PACK_MAX_CHANGESETS + 10; i++) replica.create('Bug', { summary: `bug ${i}` });
    const dir = tempDir();
    const first = publishToDirectory(replica, dir);
    const m1 = manifestOf(dir);
    expect(m1.replica.uuid).toBe(replica.uuid);
    expect(m1.replica.database_uuid).toBe(replica.databaseUuid);
    expect(m1.replica.latest_sequence_no).toBe(replica.latestSequenceNo());
    expect(m1.replica.packs.map((p) => [p.first, p.last])).toEqual([[1, PACK_MAX_CHANGESETS], [PACK_MAX_CHANGESETS + 1, replica.latestSequenceNo()]]);
    expect(m1.resolutions.uuid).toBe(replica.resdb.uuid);
    expect(first.packsWritten).toBe(2);

    replica.create('Bug', { summary: 'one more' });
    const second = publishToDirectory(replica, dir);
    const m2 = manifestOf(dir);
    expect(second.packsWritten).toBe(1);
    expect(m2.replica.packs[0]).toEqual(m1.replica.packs[0]);
    expect(m2.replica.packs[1]!.last).toBe(replica.latestSequenceNo());
    // The old tail pack stays one generation for readers mid-pull.
    expect(readdirSync(join(dir, 'packs'))).toHaveLength(3);
    publishToDirectory(replica, dir);
    expect(readdirSync(join(dir, 'packs'))).toHaveLength(2);
  });

  it('refuses to publish over another replica', () => {
    const dir = tempDir();
    publishToDirectory(newReplica(), dir);
    expect(() => publishToDirectory(newReplica(), dir)).toThrow(/holds the published replica/);
  });

  it('writes escaped HTML pages per type and record', () => {
    const replica = newReplica();
    const { uuid } = replica.create('Bug', { summary: '<script>alert("x")</script>' });
    replica.create('../evil', { name: 'x' });
    const dir = tempDir();
    publishToDirectory(replica, dir, { html: true });
    const page = readFileSync(join(dir, 'html', 'Bug', `${uuid}.html`), 'utf8');
    expect(page).toContain('&#60;script&#62;');
    expect(page).not.toContain('<script>');
    expect(readFileSync(join(dir, 'html', 'Bug', 'index.html'), 'utf8')).toContain(`${uuid}.html`);
    expect(existsSync(join(dir, 'evil'))).toBe(false);
    expect(readdirSync(join(dir, 'html')).some((f) => f.startsWith('type-'))).toBe(true);
  });

  it('tells a host:path destination from a path and says when rsync is missing', () => {
    expect(isRemoteDestination('host:/srv/www')).toBe(true);
    expect(isRemoteDestination('me@host.example:www')).toBe(true);
    expect(isRemoteDestination('/tmp/x')).toBe(false);
    expect(isRemoteDestination('http://host/x')).toBe(false);
    expect(() => publishRemote(newReplica(), 'host:/x', { rsync: '/nonexistent/rsync' })).toThrow(/needs rsync, which is not installed/);
  });
});

describe('HTTP source over a static host', () => {
  it('reads identity and changesets in a handful of requests; nothing new costs one', async () => {
    const replica = newReplica();
    replica.edit((e) => {
      for (let i = 0; i < 5; i++) e.create('Bug', { summary: `b${i}` });
    });
    for (let i = 0; i < PACK_MAX_CHANGESETS * 2; i++) replica.create('Bug', { summary: `bug ${i}` });
    await withPublished(replica, async (server, dir) => {
      const source = new HttpSource(server.url);
      expect(await source.identity()).toEqual({ uuid: replica.uuid, databaseUuid: replica.databaseUuid, latestSequenceNo: replica.latestSequenceNo() });
      expect((await source.resolutions().identity()).uuid).toBe(replica.resdb.uuid);
      const all = await collect(source.changesets(0));
      expect(all.map((e) => e.sequence_no)).toEqual([...replica.rawChangesets(1)].map((r) => r.seq));
      expect(all[0]!.body).toBe([...replica.rawChangesets(1, 1)][0]!.body);
      expect(source.client.requests).toBe(1 + 3);

      const noop = new HttpSource(`prophet:${server.url}`);
      await noop.identity();
      await noop.resolutions().identity();
      expect(await collect(noop.changesets(replica.latestSequenceNo()))).toEqual([]);
      expect(await collect(noop.resolutions().changesets(0))).toEqual([]);
      expect(noop.client.requests).toBe(1);

      const tail = new HttpSource(server.url);
      const after = replica.latestSequenceNo() - 3;
      expect((await collect(tail.changesets(after))).map((e) => e.sequence_no)).toEqual([after + 1, after + 2, after + 3]);
      expect(tail.client.requests).toBe(1 + manifestOf(dir).replica.packs.filter((p) => p.last > after).length);
    });
  });

  it('retries transient failures with backoff', async () => {
    const replica = newReplica();
    replica.create('Bug', { summary: 'x' });
    await withPublished(replica, async (server) => {
      server.failNext(2, 503);
      const source = new HttpSource(server.url, { backoffMs: 5 });
      expect(await collect(source.changesets(0))).toHaveLength(replica.latestSequenceNo());
      expect(source.client.requests).toBe(4);
      server.failNext(5, 500);
      await expect(new HttpSource(server.url, { attempts: 2, backoffMs: 1 }).identity()).rejects.toThrow(/failed after 2 attempts/);
    });
  });

  it('refuses a corrupted pack, a damaged manifest and a folder that is not a published replica', async () => {
    const replica = newReplica();
    replica.create('Bug', { summary: 'x' });
    await withPublished(replica, async (server, dir) => {
      const pack = join(dir, 'packs', manifestOf(dir).replica.packs[0]!.hash + '.pack');
      const bytes = readFileSync(pack);
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 0xff, bytes.length - 5);
      writeFileSync(pack, bytes);
      await expect(collect(new HttpSource(server.url).changesets(0))).rejects.toThrow(/does not match its name/);
      writeFileSync(join(dir, 'replica.json'), '{"format": "prophet-published-replica", "version": 1, "replica": {');
      await expect(new HttpSource(server.url).identity()).rejects.toThrow(/replica.json: not valid JSON/);
      await expect(new HttpSource(`${server.url}nowhere/`).identity()).rejects.toThrow(/is not a published prophet replica/);
    });
  });
});
