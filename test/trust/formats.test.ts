/**
 * The wire with signatures: an entry's optional sixth element. Entries of
 * five elements (unsigned, or written before signatures) are still read,
 * and an unsigned log packs exactly as it did before signatures.
 */
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { createBundle } from '../../src/prophet/transports/bundle.js';
import { decodePack, encodePack, entryToArray, toEntry } from '../../src/prophet/transports/pack.js';
import { packLog } from '../../src/prophet/transports/published-log.js';
import { builtinSchemes } from '../../src/prophet/transports/schemes.js';
import { merge } from '../../src/prophet/sync/merge.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { emptyCloneOf, peer, state } from '../sync/helpers.js';
import { statuses } from './helpers.js';

function packLines(data: Buffer): unknown[] {
  return gunzipSync(data).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('entries on the wire', () => {
  it('carry a signature as a sixth element, and only when there is one', () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'signed' });
    const [signed] = [...packLog(alice, 1)];
    const [header, line] = packLines(signed!.data) as [{ version: number }, unknown[]];
    expect(header.version).toBe(2);
    expect(line).toHaveLength(6);
    expect(line[5]).toBe(alice.rawChangeset(1)!.signature);
    expect(decodePack(signed!.data, signed!.ref, alice.uuid, 'pack')[0]!.signature).toBe(line[5]);

    const plain = Replica.init(join(tempDir(), 'r'), { env: { ...testEnv(), PROPHET_SIGNING: 'off' } });
    plain.create('Bug', { summary: 'unsigned' });
    const [unsigned] = [...packLog(plain, 1)];
    const [plainHeader, plainLine] = packLines(unsigned!.data) as [{ version: number }, unknown[]];
    // As before signatures: a reader from then reads it.
    expect(plainHeader.version).toBe(1);
    expect(plainLine).toHaveLength(5);
    expect(decodePack(unsigned!.data, unsigned!.ref, plain.uuid, 'pack')[0]).not.toHaveProperty('signature');
  });

  it('accept five-element entries and refuse a sixth that is not a signature', () => {
    const alice = peer('alice');
    alice.create('Bug', { summary: 'x' });
    const row = alice.rawChangeset(1)!;
    const five = [1, row.origin_uuid, row.origin_seq, row.hash, row.body];
    expect(toEntry(five, 'here')).toEqual({ sequence_no: 1, original_source_uuid: row.origin_uuid, original_sequence_no: 1, hash: row.hash, body: row.body });
    expect(toEntry([...five, row.signature], 'here').signature).toBe(row.signature);
    expect(() => toEntry([...five, 'ed25519:nonsense'], 'here')).toThrow(/here: bad signature/);
    expect(() => toEntry([...five, 42], 'here')).toThrow(/bad signature/);
    expect(() => toEntry([...five, row.signature, 'more'], 'here')).toThrow(/not a changeset entry/);
    expect(entryToArray({ sequence_no: 1, original_source_uuid: row.origin_uuid, original_sequence_no: 1, hash: row.hash, body: row.body })).toHaveLength(5);
  });

  it('reads a pack written before signatures (version 1) and a bundle of five-element lines', async () => {
    const alice = Replica.init(join(tempDir(), 'old'), { env: { ...testEnv(), PROPHET_SIGNING: 'off' } });
    alice.create('Bug', { summary: 'old' });
    const entries = [...alice.rawChangesets(1)].map((r) => ({ sequence_no: r.seq, original_source_uuid: r.origin_uuid, original_sequence_no: r.origin_seq, hash: r.hash, body: r.body }));
    const pack = encodePack(alice.uuid, entries);
    expect(decodePack(pack.data, pack.ref, alice.uuid, 'old pack')).toEqual(entries);

    const file = join(tempDir(), 'old.bundle');
    createBundle(alice, file);
    const bob = emptyCloneOf(alice, 'bob');
    await merge(await builtinSchemes.openSource(file), bob);
    expect(state(bob)).toEqual(state(alice));
    expect(statuses(bob).main).toEqual(['unsigned']);
  });
});
