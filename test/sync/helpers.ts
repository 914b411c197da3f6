import { join } from 'node:path';
import { isInternalType } from '../../src/prophet/model/types.js';
import { Replica, type AppDefinition } from '../../src/prophet/replica/replica.js';
import { merge, type MergeOptions, type MergeReport } from '../../src/prophet/sync/merge.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';

/** A replica of its own database, for a person. */
export function peer(name: string, app?: AppDefinition): Replica {
  return Replica.init(join(tempDir(`sync-${name}-`), 'replica'), { env: testEnv(`${name}@example.com`), app });
}

/** A replica of `source`'s database, empty: what clone starts from. */
export function emptyCloneOf(source: Replica, name: string, app?: AppDefinition): Replica {
  return Replica.init(join(tempDir(`sync-${name}-`), 'replica'), {
    env: testEnv(`${name}@example.com`),
    app,
    databaseUuid: source.databaseUuid,
    resdbDatabaseUuid: source.resdb.databaseUuid,
    withoutSettings: true,
  });
}

export function pull(target: Replica, source: Replica, opts: MergeOptions = {}): Promise<MergeReport> {
  return merge(LocalReplicaSource.of(source), target, opts);
}

export async function cloneOf(source: Replica, name: string, app?: AppDefinition): Promise<Replica> {
  const r = emptyCloneOf(source, name, app);
  await pull(r, source);
  return r;
}

/**
 * Every live record of the user's, uuid → type and properties: what must be
 * equal on every replica. Prophet's own records (signing keys, settings)
 * are left out: each author's first change announces their key.
 */
export function state(replica: Replica): Record<string, { type: string; props: Record<string, string> }> {
  const out: Record<string, { type: string; props: Record<string, string> }> = {};
  for (const type of replica.types().filter((t) => !isInternalType(t))) {
    for (const r of replica.liveRecords(type)) out[r.uuid] = { type, props: r.props };
  }
  return out;
}

/** The changesets after `from`, as stored, for asserting exact contents. */
export function logAfter(replica: Replica, from: number) {
  return [...replica.changesets(from + 1)];
}
