/**
 * Writes no front end may let in: a property name that is empty (where a
 * record's existence is kept) or one of JavaScript's own (`constructor`,
 * `__proto__`...), through REST, the CLI or a peer's changeset; and a push
 * batch with a hole in its log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/prophet/model/canonical-json.js';
import { sha256Hex } from '../../src/prophet/model/hash.js';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { startServer, type RunningServer } from '../../src/prophet/server/listen.js';
import { createToken } from '../../src/prophet/server/tokens.js';
import { HttpSource } from '../../src/prophet/transports/http-source.js';
import { entryToArray } from '../../src/prophet/transports/pack.js';
import { rowToEntry } from '../../src/prophet/transports/published-log.js';
import { MemorySource } from '../../src/prophet/transports/memory-source.js';
import { merge } from '../../src/prophet/sync/merge.js';
import { newReplica } from '../helpers/temp-replica.js';
import { oneLine, Sandbox } from '../cli/helpers.js';
import { cloneFrom, recordsOf } from './helpers.js';

const running: RunningServer[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function writable(replica: Replica) {
  const server = await startServer(replica, { port: 0, writable: true });
  running.push(server);
  const { token } = createToken(replica);
  const post = async (path: string, body: string) => {
    const res = await fetch(new URL(path, server.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    return { status: res.status, json: (await res.json()) as { error?: string } };
  };
  return { server, post };
}

const POISON = ['', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

describe('property names no front end lets in', () => {
  it('REST refuses each with a 400 naming the problem, and the replica stays readable by every peer', async () => {
    const origin = newReplica();
    origin.create('Bug', { summary: 'before' });
    const { server, post } = await writable(origin);
    for (const name of POISON) {
      const answer = await post('records/Bug', `{${JSON.stringify(name)}: "x", "summary": "poison"}`);
      expect(answer.status, name).toBe(400);
      expect(answer.json.error).toMatch(name === '' ? /cannot be empty/ : /reserved/);
    }
    expect(origin.latestSequenceNo()).toBe(1);
    const copy = await cloneFrom(new HttpSource(server.url));
    expect(recordsOf(copy, 'Bug')).toEqual(recordsOf(origin, 'Bug'));
  });

  it('the CLI refuses each with one line and a usage exit, writing nothing', () => {
    const box = new Sandbox();
    try {
      box.ok(['init']);
      for (const name of POISON.slice(1)) {
        const r = box.fails(['create', '--type', 'Bug', '--', `${name}=v`]);
        expect(r.code, name).toBe(2);
        expect(oneLine(r.stderr), r.stderr).toBe(true);
        expect(r.stderr).toMatch(/reserved/);
      }
      expect(box.json<unknown[]>(['log'])).toHaveLength(0);
    } finally {
      box.cleanup();
    }
  });

  it('a peer changeset using one is refused whole, naming the changeset', async () => {
    const alice = newReplica();
    alice.create('Bug', { summary: 'fine' });
    const bob = await cloneFrom(new MemorySource('alice', { uuid: alice.uuid, databaseUuid: alice.databaseUuid, latestSequenceNo: alice.latestSequenceNo() }, [...alice.rawChangesets(1)].map(rowToEntry)));
    const content = { original_source_uuid: alice.uuid, original_sequence_no: 2, creator: 'mallory@example.com', created: new Date().toISOString(), is_nullification: false, is_resolution: false, changes: { '6a1f7a3c-0000-4000-8000-00000000abcd': { record_type: 'Bug', change_type: 'add', prop_changes: { constructor: { old_value: null, new_value: 'x' } } } } };
    const body = canonicalJson(content);
    const entry = { sequence_no: 2, original_source_uuid: alice.uuid, original_sequence_no: 2, hash: sha256Hex(body), body };
    const source = new MemorySource('a bundle from mallory', { uuid: alice.uuid, databaseUuid: alice.databaseUuid, latestSequenceNo: 2 }, [entry]);
    const before = bob.latestSequenceNo();
    await expect(merge(source, bob)).rejects.toThrow(/changeset 2 of a bundle from mallory.*'constructor' cannot be a property name/);
    expect(bob.latestSequenceNo()).toBe(before);
  });
});

describe('a push batch with a hole', () => {
  it('is refused naming the missing range; the server keeps its ticket and takes the whole log next time', async () => {
    const origin = newReplica();
    origin.create('Bug', { summary: 'base' });
    const { server, post } = await writable(origin);
    const alice = await cloneFrom(new HttpSource(server.url), 'alice@example.com');
    for (let i = 0; i < 6; i++) alice.create('Bug', { summary: `alice ${i}` });
    const entries = [...alice.rawChangesets(1)].map(rowToEntry);
    const holed = entries.filter((e) => e.sequence_no !== 4 && e.sequence_no !== 5);
    const batch = (list: typeof entries) =>
      JSON.stringify({
        replica: { uuid: alice.uuid, database_uuid: alice.databaseUuid },
        resolutions: { uuid: alice.resdb.uuid, database_uuid: alice.resdb.databaseUuid },
        changesets: list.map(entryToArray),
        resolution_changesets: [],
      });
    const refused = await post('push', batch(holed));
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/is missing changesets 4 to 5 of its log/);
    expect(origin.mergeTicket(alice.uuid)).toBeLessThan(4);

    const whole = await post('push', batch(entries));
    expect(whole.status).toBe(200);
    expect(recordsOf(origin, 'Bug')).toEqual(recordsOf(alice, 'Bug'));
  });
});
