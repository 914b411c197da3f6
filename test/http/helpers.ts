import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sha256Hex } from '../../src/prophet/model/hash.js';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import { merge, type MergeOptions } from '../../src/prophet/sync/merge.js';
import type { ChangesetSource } from '../../src/prophet/sync/source.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { startStaticServer, type StaticServer } from './static-server.js';

/** A new replica of the source's database, filled from it: what `clone` does. */
export async function cloneFrom(source: ChangesetSource, email = 'bob@example.com'): Promise<Replica> {
  const id = await source.identity();
  const res = await source.resolutions()?.identity();
  const replica = Replica.init(join(tempDir(), 'clone'), {
    env: testEnv(email),
    databaseUuid: id.databaseUuid,
    resdbDatabaseUuid: res?.databaseUuid,
    withoutSettings: true,
  });
  await merge(source, replica, { prefer: 'target' });
  return replica;
}

/** Every record of a type as uuid → properties, for comparing replicas. */
export function recordsOf(replica: Replica, type: string): Record<string, Record<string, string>> {
  return Object.fromEntries(replica.liveRecords(type).map((r) => [r.uuid, r.props]));
}

export async function pull(source: ChangesetSource, target: Replica, opts: MergeOptions = {}) {
  return merge(source, target, opts);
}

/**
 * Publishes `replica` to a new folder and serves it with a plain static
 * server while `fn` runs: the setup every test of a static host shares.
 */
export async function withPublished<T>(replica: Replica, fn: (host: StaticServer, dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir();
  publishToDirectory(replica, dir);
  const host = await startStaticServer(dir);
  try {
    return await fn(host, dir);
  } finally {
    await host.close();
  }
}

/**
 * Replaces the first pack of a published folder with a gzip bomb: about
 * 700 KiB that inflate to 700 MiB of zeros (concatenated gzip members,
 * built in milliseconds), named by its hash and listed with its true size,
 * so only its expansion gives it away.
 */
export function plantGzipBomb(dir: string): string {
  const manifestFile = join(dir, 'replica.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { replica: { packs: Array<{ hash: string; bytes: number }> } };
  const member = gzipSync(Buffer.alloc(10 * 1024 * 1024));
  const bomb = Buffer.concat(Array.from({ length: 70 }, () => member));
  const hash = sha256Hex(bomb);
  writeFileSync(join(dir, 'packs', `${hash}.pack`), bomb);
  manifest.replica.packs[0] = { ...manifest.replica.packs[0]!, hash, bytes: bomb.length };
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return hash;
}
