import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { parseManifest } from '../../src/prophet/transports/manifest.js';
import { oneLine, Sandbox, type RunResult } from '../cli/helpers.js';
import { newReplica, tempDir } from '../helpers/temp-replica.js';
import { plantGzipBomb } from './helpers.js';
import { startStaticServer } from './static-server.js';

/**
 * A published folder with missing or odd parts, cloned from through the
 * command line: from a disk and over HTTP, the same one line (exit 1,
 * never 70, the internal error), and no clone left behind.
 */

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function sandbox(): Sandbox {
  const box = new Sandbox({ PROPHET_EMAIL: 'bob@example.com' });
  cleanup.push(() => box.cleanup());
  return box;
}

/** `n` bugs published into a new folder; the hashes of its packs, oldest first. */
function published(n: number): { site: string; packs: string[] } {
  const alice = newReplica();
  for (let i = 0; i < n; i++) alice.create('Bug', { summary: `bug ${i}` });
  const site = tempDir();
  publishToDirectory(alice, site);
  alice.close();
  const manifest = parseManifest(readFileSync(join(site, 'replica.json'), 'utf8'), site);
  return { site, packs: manifest.replica.packs.map((p) => p.hash) };
}

const packFile = (site: string, hash: string) => join(site, 'packs', `${hash}.pack`);

/** Clones from `from` and checks it failed cleanly, with `message`, and left nothing at the target. */
function expectRefusedClone(box: Sandbox, r: RunResult, message: string): void {
  expect(r.code, r.stderr).toBe(1);
  expect(oneLine(r.stderr), r.stderr).toBe(true);
  expect(r.stderr).toContain(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(existsSync(join(box.dir, 'clone'))).toBe(false);
}

function cloneFrom(box: Sandbox, from: string): Promise<RunResult> {
  return box.start(['clone', '--from', from, '--to', join(box.dir, 'clone')]);
}

describe('a published folder with missing or odd parts', () => {
  it('a missing middle pack: the same line from a disk and over HTTP, naming the pack and the folder', async () => {
    const { site, packs } = published(4100);
    expect(packs).toHaveLength(3);
    rmSync(packFile(site, packs[1]!));
    const hint = '(a partial copy of the folder, or re-published during the pull: pull again)';

    const box = sandbox();
    expectRefusedClone(box, await cloneFrom(box, site), `pack ${packs[1]} of ${site} is missing ${hint}`);

    const host = await startStaticServer(site);
    cleanup.push(() => host.close());
    expectRefusedClone(box, await cloneFrom(box, host.url), `pack ${packs[1]} of ${host.url} is missing ${hint}`);
  });

  it('a pack that is a directory is not a file', async () => {
    const { site, packs } = published(3);
    rmSync(packFile(site, packs[0]!));
    mkdirSync(packFile(site, packs[0]!));
    const box = sandbox();
    expectRefusedClone(box, await cloneFrom(box, site), `pack ${packs[0]} of ${site} is not a file`);
  });

  it('a replica.json that is a directory is not a file', async () => {
    const { site } = published(3);
    rmSync(join(site, 'replica.json'));
    mkdirSync(join(site, 'replica.json'));
    const box = sandbox();
    expectRefusedClone(box, await cloneFrom(box, site), `replica.json of ${site} is not a file`);
  });

  it('a 3 GiB replica.json is refused from its size, before it is read', async () => {
    const { site } = published(3);
    // Sparse: takes no disk space.
    truncateSync(join(site, 'replica.json'), 3 * 1024 ** 3);
    const box = sandbox();
    expectRefusedClone(box, await cloneFrom(box, site), `${join(site, 'replica.json')} is 3 GiB, over the 16 MiB limit for replica.json`);
  });

  it('a pack larger than replica.json lists is refused from its size', async () => {
    const { site, packs } = published(3);
    appendFileSync(packFile(site, packs[0]!), Buffer.alloc(100));
    const box = sandbox();
    const r = await cloneFrom(box, site);
    expectRefusedClone(box, r, `${packFile(site, packs[0]!)} is `);
    expect(r.stderr).toMatch(/over the \d+ bytes limit for this pack \(its size in replica\.json\)/);
  });

  it('a gzip bomb of a pack is refused as it passes the limit', async () => {
    const { site } = published(3);
    const bomb = plantGzipBomb(site);
    const box = sandbox();
    expectRefusedClone(box, await cloneFrom(box, site), `${packFile(site, bomb)} expands past the 128 MiB limit for a pack's text`);
  });

  it('a manifest listing a pack larger than any pack may be is refused before anything is read', async () => {
    const { site } = published(3);
    const file = join(site, 'replica.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"bytes": \d+/, '"bytes": 3000000000'));
    const box = sandbox();
    expectRefusedClone(box, await cloneFrom(box, site), 'is listed as 2.8 GiB, over the 128 MiB limit for a pack');
  });
});
