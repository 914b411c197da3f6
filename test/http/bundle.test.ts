import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundle, looksLikeBundle, readBundle } from '../../src/prophet/transports/bundle.js';
import { builtinSchemes } from '../../src/prophet/transports/schemes.js';
import { newReplica, tempDir } from '../helpers/temp-replica.js';
import { cloneFrom, pull, recordsOf } from './helpers.js';

describe('bundles', () => {
  it('carry changesets and resolutions on a stick; --since carries only the new', async () => {
    const alice = newReplica();
    alice.create('Bug', { summary: 'one' });
    const dir = tempDir();
    const full = join(dir, 'all.bundle');
    expect(createBundle(alice, full).changesets).toBe(alice.latestSequenceNo());
    expect(looksLikeBundle(full)).toBe(true);
    const bob = await cloneFrom(await builtinSchemes.openSource(full));
    expect(recordsOf(bob, 'Bug')).toEqual(recordsOf(alice, 'Bug'));

    const since = alice.latestSequenceNo();
    alice.create('Bug', { summary: 'two' });
    const delta = join(dir, 'delta.bundle');
    expect(createBundle(alice, delta, since).changesets).toBe(1);
    const report = await pull(await builtinSchemes.openSource(`bundle:${delta}`), bob);
    expect(report.changesets.integrated).toBe(1);
    expect(recordsOf(bob, 'Bug')).toEqual(recordsOf(alice, 'Bug'));
  });

  it('refuses a truncated or tampered bundle whole, before anything is written', async () => {
    const alice = newReplica();
    for (let i = 0; i < 3; i++) alice.create('Bug', { summary: `bug ${i}` });
    const dir = tempDir();
    const path = join(dir, 'x.bundle');
    createBundle(alice, path);
    const text = readFileSync(path, 'utf8');

    writeFileSync(path, text.slice(0, text.length - 30));
    expect(() => readBundle(path)).toThrow(/truncated/);
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    expect(() => readBundle(path)).toThrow(/truncated/);
    writeFileSync(path, text.replace('bug 1', 'bug X'));
    expect(() => readBundle(path)).toThrow(/damaged or was altered/);
    writeFileSync(join(dir, 'y.bundle'), 'hello');
    expect(() => readBundle(join(dir, 'y.bundle'))).toThrow(/not a prophet bundle/);
    expect(() => readBundle(join(dir, 'gone.bundle'))).toThrow(`there is no bundle at ${join(dir, 'gone.bundle')}: check the file name`);
  });

  it('refuses a bundle that builds on changesets the receiver lacks, saying which', async () => {
    const alice = newReplica();
    const { uuid } = alice.create('Bug', { summary: 'one' });
    const dir = tempDir();
    const path = join(dir, 'late.bundle');
    const base = join(dir, 'base.bundle');
    createBundle(alice, base);
    const bob = await cloneFrom(await builtinSchemes.openSource(base));
    alice.update('Bug', uuid, { summary: 'two' });
    const since = alice.latestSequenceNo();
    alice.update('Bug', uuid, { summary: 'three' });
    createBundle(alice, path, since);
    const before = bob.latestSequenceNo();
    await expect(pull(await builtinSchemes.openSource(path), bob)).rejects.toThrow(`starts after changeset ${since} of replica ${alice.uuid}, but this replica has seen only up to ${since - 1} of it: make a bundle with --since ${since - 1}`);
    expect(bob.latestSequenceNo()).toBe(before);
  });
});
