/**
 * A source's log must reach the target whole: a manifest missing a pack,
 * a bundle with lines cut out (and its checksum made to match) or a push
 * batch with a hole is refused at the hole, the target's ticket stays
 * before it, and a later pull from an intact copy fills it in.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { createBundle } from '../../src/prophet/transports/bundle.js';
import { FolderSource } from '../../src/prophet/transports/folder-source.js';
import { MANIFEST_FILE } from '../../src/prophet/transports/manifest.js';
import { PACK_MAX_CHANGESETS } from '../../src/prophet/transports/pack.js';
import { builtinSchemes } from '../../src/prophet/transports/schemes.js';
import { merge } from '../../src/prophet/sync/merge.js';
import { tempDir } from '../helpers/temp-replica.js';
import { cloneOf, emptyCloneOf, peer, pull, state } from './helpers.js';

function withChangesets(n: number) {
  const alice = peer('alice');
  for (let i = 0; i < n; i++) alice.create('Bug', { summary: `bug ${i}` });
  return alice;
}

describe('a log with a hole', () => {
  it('from a bundle with lines cut and its checksum recomputed: refused naming the range; an intact pull fills it', async () => {
    const alice = withChangesets(6);
    const bob = await cloneOf(alice, 'bob');
    const since = alice.latestSequenceNo();
    for (let i = 0; i < 20; i++) alice.create('Bug', { summary: `later ${i}` });
    const path = join(tempDir(), 'cut.bundle');
    createBundle(alice, path, since);
    const lines = readFileSync(path, 'utf8').split('\n');
    const changesetLines = lines.map((l, i) => (l.startsWith('C ') ? i : -1)).filter((i) => i >= 0);
    // Cut the 5th to 9th changesets after `since`, then make the checksum match again.
    const kept = lines.slice(0, -2).filter((_, i) => !changesetLines.slice(4, 9).includes(i));
    const body = `${kept.join('\n')}\n`;
    writeFileSync(path, `${body}sha256 ${createHash('sha256').update(body).digest('hex')}\n`);

    await expect(merge(await builtinSchemes.openSource(path), bob)).rejects.toThrow(`is missing changesets ${since + 5} to ${since + 9} of its log`);
    expect(bob.mergeTicket(alice.uuid)).toBeLessThan(since + 5);
    await pull(bob, alice);
    expect(state(bob)).toEqual(state(alice));
  });

  it('from a published folder whose manifest lost a middle pack: refused, and the copy is filled by the next intact pull', async () => {
    // Enough changesets for three packs.
    const alice = withChangesets(2 * PACK_MAX_CHANGESETS + 100);
    const dir = join(tempDir(), 'site');
    publishToDirectory(alice, dir);
    const manifestPath = join(dir, MANIFEST_FILE);
    const intact = readFileSync(manifestPath, 'utf8');
    const manifest = JSON.parse(intact) as { replica: { packs: Array<{ first: number; last: number }> } };
    expect(manifest.replica.packs.length).toBeGreaterThanOrEqual(3);
    const [lost] = manifest.replica.packs.splice(1, 1);
    writeFileSync(manifestPath, JSON.stringify(manifest));

    const target = emptyCloneOf(alice, 'bob');
    await expect(merge(new FolderSource(dir, dir), target)).rejects.toThrow(`is missing changesets ${lost!.first} to ${lost!.last} of its log`);
    expect(target.mergeTicket(alice.uuid)).toBeLessThan(lost!.first);

    writeFileSync(manifestPath, intact);
    await merge(new FolderSource(dir, dir), target);
    expect(state(target)).toEqual(state(alice));
  });
});

