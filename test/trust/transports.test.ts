/**
 * Signatures travel with the bytes through every way changesets move, and
 * a replica that requires trusted signatures checks them whichever way
 * they come: a replica's folder, a published folder on a disk or a static
 * web host, a push to a live server, a bundle file.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { pushOverHttp } from '../../src/prophet/replication/operations.js';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { startServer, type RunningServer } from '../../src/prophet/server/listen.js';
import { createToken } from '../../src/prophet/server/tokens.js';
import { merge } from '../../src/prophet/sync/merge.js';
import type { ChangesetSource } from '../../src/prophet/sync/source.js';
import { createBundle } from '../../src/prophet/transports/bundle.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { builtinSchemes } from '../../src/prophet/transports/schemes.js';
import { tempDir } from '../helpers/temp-replica.js';
import { withPublished } from '../http/helpers.js';
import { cloneOf, emptyCloneOf, peer, pull, state } from '../sync/helpers.js';
import { expectAllVerified, expectSameSignatures, footprint, requireTrust } from './helpers.js';

const running: RunningServer[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

/** Alice's replica: her changes, carol's, and a conflict between them that alice settled (a resolution and a vote). */
async function aliceWithHistory(): Promise<{ alice: Replica; carol: Replica }> {
  const alice = peer('alice');
  const { uuid } = alice.create('Bug', { summary: 'signed', status: 'new' });
  const carol = await cloneOf(alice, 'carol');
  carol.update('Bug', uuid, { status: 'stalled' });
  carol.create('Bug', { summary: "carol's" });
  alice.update('Bug', uuid, { status: 'open' });
  await pull(alice, carol, { prefer: 'target' });
  expect([...alice.changesets()].some((cs) => cs.is_resolution)).toBe(true);
  expect(alice.resdb.latestSequenceNo()).toBe(1);
  return { alice, carol };
}

type Transport = (alice: Replica, bob: Replica) => Promise<unknown>;

const transports: Record<string, Transport> = {
  "a replica's folder": async (alice, bob) => merge(await builtinSchemes.openSource(alice.root), bob),
  'a published folder on a disk': async (alice, bob) => {
    const stick = join(tempDir(), 'stick');
    publishToDirectory(alice, stick);
    return merge(await builtinSchemes.openSource(stick), bob);
  },
  'a published folder on a static web host': (alice, bob) => withPublished(alice, (host) => merge(new HttpSource(host.url) as ChangesetSource, bob)),
  'a push to a live prophet server': async (alice, bob) => {
    const { token } = createToken(bob);
    const server = await startServer(bob, { port: 0, writable: true });
    running.push(server);
    return pushOverHttp(alice, server.url, { token, backoffMs: 1 });
  },
  'a bundle file': async (alice, bob) => {
    const file = join(tempDir(), 'alice.bundle');
    createBundle(alice, file);
    return merge(await builtinSchemes.openSource(file), bob);
  },
};

describe.each(Object.entries(transports))('signatures through %s', (_, transport) => {
  it('arrive byte for byte and verified; a replica requiring trust takes them from trusted keys', async () => {
    const { alice, carol } = await aliceWithHistory();
    const bob = emptyCloneOf(alice, 'bob');
    requireTrust(bob, alice, carol);
    await transport(alice, bob);
    expect(state(bob)).toEqual(state(alice));
    expect(bob.resdb.latestSequenceNo()).toBe(1);
    expectAllVerified(bob);
    expectSameSignatures(alice, bob);
    expectSameSignatures(alice.resdb, bob.resdb);
  });

  it('is refused whole when one author is not trusted, naming the author and the changeset', async () => {
    const { alice, carol } = await aliceWithHistory();
    const bob = emptyCloneOf(alice, 'bob');
    requireTrust(bob, alice);
    const before = footprint(bob);
    const carols = [...carol.changesets()].find((cs) => cs.creator === 'carol@example.com')!;
    await expect(transport(alice, bob)).rejects.toThrow(new RegExp(`refused changeset ${carols.original_sequence_no}@${carol.uuid} by carol@example.com: .*does not trust`));
    expect(footprint(bob)).toEqual(before);
    expect(state(bob)).toEqual({});
  });
});
