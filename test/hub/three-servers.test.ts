/**
 * Three `prophet server --store URL` processes on one hub, pushed to and
 * pulled from concurrently by several replicas, each going through a
 * different process from one request to the next, as behind a load
 * balancer: the writers go to one process a push or pull, the next one
 * through another; the readers through a round-robin balancer, so each
 * request of a pull may reach another process than the one before.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { openHub } from '../../src/prophet/replication/hub.js';
import { pushOverHttp } from '../../src/prophet/replication/operations.js';
import { ChangesetKind } from '../../src/prophet/store/store.js';
import { merge } from '../../src/prophet/sync/merge.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { sandboxesRemovedAfterEach } from '../cli/helpers.js';
import { newReplica, testEnv } from '../helpers/temp-replica.js';
import { cloneFrom, recordsOf } from '../http/helpers.js';
import { hubLog, makeHub, startHubServers } from './hub-cli.js';
import { pgServer } from './pg-database.js';
import { roundRobin } from './round-robin.js';

const WRITERS = 4;
const READERS = 2;
const ROUNDS = 5;
const newBox = sandboxesRemovedAfterEach();

/** A pull that settles any conflict with the hub's side, as `prophet pull --prefer source` does. */
const pullFrom = (url: string, replica: Replica) => merge(new HttpSource(url), replica, { prefer: 'source' });

/** A push that, refused for a conflict the server cannot settle alone, does what the refusal says: pull, resolve locally, push again. */
async function pushThrough(replica: Replica, url: string, token: string): Promise<void> {
  for (let refusals = 0; ; refusals++) {
    try {
      await pushOverHttp(replica, url, { token });
      return;
    } catch (err) {
      if (!/cannot settle the conflict/.test(String(err)) || refusals === 50) throw err;
      await pullFrom(url, replica);
    }
  }
}

/** What a replica made itself and a hub keeps: its own changesets but the nullifications, which never leave a replica. */
function ownChangesets(replica: Replica): string[] {
  return [...replica.rawChangesets(1)].filter((row) => row.origin_uuid === replica.uuid && row.kind !== ChangesetKind.Nullification).map((row) => `${row.origin_seq}`);
}

describe.skipIf(!pgServer())('three prophet server processes on one hub', () => {
  it('take concurrent pushes and pulls: each changeset lands once in a gapless log, and every replica converges with the hub, conflicts included', async () => {
    const box = newBox();
    const seed = newReplica();
    const { uuid: shared } = seed.create('Bug', { summary: 'everyone edits this', status: 'new' });
    for (let i = 0; i < 20; i++) seed.create('Bug', { summary: `seeded ${i}` });
    const { url, token } = makeHub(box, seed.root);
    const servers = await startHubServers(box, url, 3);
    const through = (n: number) => servers[n % servers.length]!.url;
    const balancer = await roundRobin(servers.map((s) => s.url));

    const writers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => cloneFrom(new HttpSource(through(i)), `writer${i}@example.com`)));
    const readers = await Promise.all(Array.from({ length: READERS }, (_, i) => cloneFrom(new HttpSource(through(i + 1)), `reader${i}@example.com`)));

    let readerPulls = 0;
    let writing = true;
    const write = async (i: number) => {
      const me = writers[i]!;
      const mine = me.create('Bug', { summary: `writer ${i}'s own`, round: '0' });
      for (let round = 0; round < ROUNDS; round++) {
        me.create('Bug', { summary: `writer ${i}, round ${round}` });
        me.update('Bug', mine.uuid, { round: String(round) });
        // Every writer changes the same property of the same record each round: concurrent conflicting writes.
        me.update('Bug', shared, { status: `writer ${i}, round ${round}` });
        await pushThrough(me, through(i + round), token);
        await pullFrom(through(i + round + 1), me);
      }
    };
    const read = async (i: number) => {
      while (writing) {
        await merge(new HttpSource(balancer), readers[i]!);
        readerPulls++;
      }
    };
    const readersDone = Promise.all(readers.map((_, i) => read(i)));
    await Promise.all(writers.map((_, i) => write(i))).finally(() => (writing = false));
    await readersDone;

    // Quiet now: push what is left and pull until nothing moves. Pulls can settle conflicts locally (a resolution to push), hence the passes.
    const hub = openHub(url, 'prophet', { env: testEnv() });
    try {
      let passes = 0;
      const converged = () => [...writers, ...readers].every((r) => isDeepStrictEqual(recordsOf(r, 'Bug'), recordsOf(hub, 'Bug')));
      const pushedAll = () => writers.every((w) => ownChangesets(w).length === hubLog(url).filter((e) => e.origin === w.uuid).length);
      while (!(converged() && pushedAll()) && passes < 5) {
        passes++;
        for (const [i, w] of writers.entries()) await pushThrough(w, through(i + passes), token);
        for (const [i, r] of [...writers, ...readers].entries()) await pullFrom(through(i + passes + 1), r);
      }
      expect(readerPulls).toBeGreaterThan(0);

      const hubRecords = recordsOf(hub, 'Bug');
      expect(Object.keys(hubRecords)).toHaveLength(21 + WRITERS * (ROUNDS + 1));
      for (const replica of [...writers, ...readers, await cloneFrom(new HttpSource(through(2)))]) expect(recordsOf(replica, 'Bug')).toEqual(hubRecords);
      expect(hubRecords[shared]!.status).toMatch(/^writer \d, round \d$/);

      const log = hubLog(url);
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      expect(new Set(log.map((e) => `${e.originSeq}@${e.origin}`)).size).toBe(log.length);
      for (const w of writers) expect(log.filter((e) => e.origin === w.uuid).map((e) => `${e.originSeq}`).sort()).toEqual(ownChangesets(w).sort());
      // The conflicts really happened, and the hub settled them in its log as a single server does: a nullification before each.
      expect([...hub.rawChangesets(1)].filter((row) => row.kind === ChangesetKind.Nullification).length).toBeGreaterThan(0);
    } finally {
      hub.close();
    }
    for (const s of servers) {
      expect(s.child.exitCode).toBeNull();
      expect(s.stderr()).toBe('');
    }
  });
});
