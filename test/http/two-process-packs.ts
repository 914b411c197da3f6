import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { MANIFEST_FILE } from '../../src/prophet/transports/manifest.js';
import { PublishedSource } from '../../src/prophet/transports/published-source.js';
import { cloneFrom, pull, recordsOf } from './helpers.js';
import { serve } from './live-server.js';

/**
 * What a reader behind a load balancer may meet: the manifest from one
 * server process, every pack from another, with the log growing in
 * between. `withRanges: false` is a reader from before pack ranges.
 */
function balanced(manifestFrom: HttpSource, packsFrom: HttpSource, between: () => void, withRanges = true): PublishedSource {
  return new PublishedSource({
    description: 'two servers behind a balancer',
    read: async (path, limit, range) => {
      if (path !== MANIFEST_FILE) return packsFrom.files.read(path, limit, withRanges ? range : undefined);
      const read = await manifestFrom.files.read(path, limit);
      between();
      return read;
    },
    where: (path) => packsFrom.files.where(path),
  });
}

/**
 * Two `prophet server`s over two handles on one database (two processes'
 * worth of state): a manifest served by A names an open last pack that B
 * never built, since B last looked at the log before A and again after
 * the log moved on. With its range, B cuts it from the database; without
 * (an old reader), B answers 404 as a single server always did.
 */
export async function packsAcrossProcesses(a: Replica, b: Replica): Promise<void> {
  a.create('Bug', { summary: 'one' });
  a.create('Bug', { summary: 'two' });
  const [serverA, serverB] = [await serve(a), await serve(b)];
  a.create('Bug', { summary: 'three' });
  const grow = (summary: string) => () => void a.create('Bug', { summary });

  const ranged = balanced(new HttpSource(serverA.url), new HttpSource(serverB.url), grow('four'));
  const copy = await cloneFrom(ranged);
  const listed = (await ranged.fetchManifest()).replica;
  expect(copy.latestSequenceNo()).toBe(3);

  const old = balanced(new HttpSource(serverA.url), new HttpSource(serverB.url), grow('five'), false);
  await expect(pull(old, copy)).rejects.toThrow(/is missing \(a partial copy of the folder, or re-published during the pull: pull again\)/);

  await pull(new HttpSource(serverB.url), copy);
  expect(recordsOf(copy, 'Bug')).toEqual(recordsOf(a, 'Bug'));
  expect(Object.values(recordsOf(copy, 'Bug')).map((p) => p.summary).sort()).toEqual(['five', 'four', 'one', 'three', 'two']);

  // A range is believed only when the pack cut from it has the name asked for.
  const open = listed.packs.at(-1)!;
  expect([open.first, open.last, listed.latest_sequence_no]).toEqual([1, 3, 3]);
  const ask = (hash: string, query: string) => fetch(new URL(`packs/${hash}.pack?${query}`, serverB.url));
  const served = await ask(open.hash, `log=replica&first=${open.first}&last=${open.last}`);
  expect(served.status).toBe(200);
  expect(createHash('sha256').update(Buffer.from(await served.arrayBuffer())).digest('hex')).toBe(open.hash);
  for (const query of [`log=replica&first=${open.first}&last=${open.last + 1}`, `log=resolutions&first=${open.first}&last=${open.last}`]) {
    const refused = await ask(open.hash, query);
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([404, expect.stringMatching(/^no pack [0-9a-f]{64} holds changesets \d+\.\.\d+ of the \w+ log$/)]);
  }
  expect((await ask('0'.repeat(64), `log=replica&first=${open.first}&last=${open.last}`)).status).toBe(404);
  for (const query of ['log=replica&first=2&last=1', 'log=other&first=1&last=2', 'log=replica&first=x&last=2', 'log=replica&first=1']) {
    expect((await ask(open.hash, query)).status).toBe(400);
  }
}
