/**
 * Issue 4's benchmark: cloning a 50,000-record replica over HTTP from a
 * published folder (plain static host) and from a live `prophet server`,
 * next to a local clone; an incremental pull of 1,000 changesets; a no-op
 * pull, in requests and milliseconds. The replica is the sync benchmark's
 * (bench/sync-dataset.ts). Run: npm run bench:http (BENCH_RECORDS scales it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishToDirectory } from '../src/prophet/publish/publish.js';
import { Replica } from '../src/prophet/replica/replica.js';
import { merge } from '../src/prophet/sync/merge.js';
import { cloneFromSource } from '../src/prophet/replication/operations.js';
import type { ChangesetSource } from '../src/prophet/sync/source.js';
import { HttpSource } from '../src/prophet/transports/http-source.js';
import { LocalReplicaSource } from '../src/prophet/transports/local-source.js';
import { startStaticServer } from '../test/http/static-server.js';
import { startLiveServer } from './live-server.js';
import { seededRandom, timeAsync as timed } from './measure.js';
import { build, env, RECORDS } from './sync-dataset.js';
import { writeResults } from './results.js';

const INCREMENT = 1_000;

/** A clone as `prophet clone` makes it, from a source opened here so its requests can be counted. */
async function cloneInto(dir: string, source: ChangesetSource): Promise<{ ms: number; replica: Replica }> {
  const { ms, value } = await timed(() => cloneFromSource(source, dir, { env }));
  return { ms, replica: value.replica };
}

async function noopPull(url: string, replica: Replica): Promise<{ ms: number; requests: number }> {
  const runs: Array<{ ms: number; requests: number }> = [];
  for (let i = 0; i < 7; i++) {
    const source = new HttpSource(url);
    const { ms } = await timed(() => merge(source, replica));
    runs.push({ ms, requests: source.client.requests });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[3]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prophet-bench-http-'));
  try {
    const { source: alice, writer, propertyChanges } = build(dir);
    const changesets = alice.latestSequenceNo();
    const site = join(dir, 'site');
    const publish = await timed(async () => publishToDirectory(alice, site));
    const host = await startStaticServer(site);
    const live = await startLiveServer(['--repo', alice.root], { ...process.env, HOME: dir });
    try {
      const local = await cloneInto(join(dir, 'local-clone'), LocalReplicaSource.open(alice.root));
      const staticSource = new HttpSource(host.url);
      const fromStatic = await cloneInto(join(dir, 'static-clone'), staticSource);
      const liveSource = new HttpSource(live.url);
      const fromLive = await cloneInto(join(dir, 'live-clone'), liveSource);

      const rand = seededRandom(5);
      alice.transaction(() => {
        for (let i = 0; i < INCREMENT; i++) writer.update(rand);
      });
      const republish = await timed(async () => publishToDirectory(alice, site));
      const incStatic = new HttpSource(host.url);
      const pullStatic = await timed(() => merge(incStatic, fromStatic.replica));
      const incLive = new HttpSource(live.url);
      const pullLive = await timed(() => merge(incLive, fromLive.replica));
      const noopStatic = await noopPull(host.url, fromStatic.replica);
      const noopLive = await noopPull(live.url, fromLive.replica);

      const ratio = (ms: number) => `${(ms / local.ms).toFixed(2)}× local`;
      const rows: Array<[string, string]> = [
        ['replica (the sync benchmark\'s)', `${RECORDS} records, ${propertyChanges} property changes in ${changesets} changesets`],
        ['first publish to a folder', `${publish.ms.toFixed(0)} ms, ${publish.value.packsWritten} packs`],
        ['local clone (folder on this machine)', `${local.ms.toFixed(0)} ms`],
        ['HTTP clone from the published folder (static host)', `${fromStatic.ms.toFixed(0)} ms, ${staticSource.client.requests} requests, ${ratio(fromStatic.ms)}`],
        ['HTTP clone from `prophet server`', `${fromLive.ms.toFixed(0)} ms, ${liveSource.client.requests} requests, ${ratio(fromLive.ms)}`],
        [`re-publish after ${INCREMENT} new changesets`, `${republish.ms.toFixed(0)} ms, ${republish.value.packsWritten} new packs, ${republish.value.packsKept} kept`],
        [`incremental pull of ${INCREMENT} changesets, static`, `${pullStatic.ms.toFixed(0)} ms, ${incStatic.client.requests} requests`],
        [`incremental pull of ${INCREMENT} changesets, server`, `${pullLive.ms.toFixed(0)} ms, ${incLive.client.requests} requests`],
        ['no-op pull, static (median of 7)', `${noopStatic.ms.toFixed(1)} ms, ${noopStatic.requests} request(s)`],
        ['no-op pull, server (median of 7)', `${noopLive.ms.toFixed(1)} ms, ${noopLive.requests} request(s)`],
      ];
      for (const r of [local.replica, fromStatic.replica, fromLive.replica]) r.close();
      writeResults('http', 'HTTP: publish, clone, pull (issue 4)', rows);
    } finally {
      await live.stop();
      await host.close();
      alice.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
