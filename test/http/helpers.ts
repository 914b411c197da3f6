import { join } from 'node:path';
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
