import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AllReplicasError, pullAll, pushAll, syncAll } from '../../src/prophet/replication/all-replicas.js';
import { clone, pull, push, replicaUrl } from '../../src/prophet/replication/operations.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { cloneOf, peer, state } from './helpers.js';

describe('replica URLs in the config', () => {
  it('a clone or pull from a relative path remembers it absolute, so a later pull works from any directory', async () => {
    const a = peer('alice');
    a.create('Bug', { summary: 'one' });
    const parent = dirname(a.root);
    const elsewhere = tempDir();
    const { replica: b } = await clone(basename(a.root), join(parent, 'bob'), { env: testEnv(), cwd: parent });
    expect(b.config.get(`replica.${a.root}.url`)).toBe(a.root);

    const c = peer('carol');
    await pull(c, basename(a.root), { env: testEnv(), cwd: parent, force: true });
    expect(c.config.get(`replica.${a.root}.url`)).toBe(a.root);

    a.create('Bug', { summary: 'two' });
    await pullAll(b, { env: testEnv(), cwd: elsewhere });
    expect(state(b)).toEqual(state(a));
  });

  it('a relative path written into the config is taken from the replica, not from where the command runs', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    b.config.set('replica.up.url', '../../' + basename(dirname(a.root)) + '/replica');
    expect(replicaUrl(b, 'up', 'pull')).toBe(a.root);
    b.config.set('replica.web.url', 'http://127.0.0.1:1/x');
    expect(replicaUrl(b, 'web', 'pull')).toBe('http://127.0.0.1:1/x');
  });

  it('pull --all pulls every replica it can reach, then reports the ones it could not', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    const c = await cloneOf(a, 'carol');
    c.config.set('replica.gone.url', '/nonexistent/replica');
    c.config.set('replica.bob.url', b.root);
    b.create('Bug', { summary: 'from bob' });
    const err = await pullAll(c, { env: testEnv() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllReplicasError);
    const { reports, failures, message } = err as AllReplicasError;
    expect(failures).toEqual([{ source: '/nonexistent/replica', error: expect.stringMatching(/^no prophet replica at \/nonexistent\/replica to read from/) }]);
    expect(reports.map((r) => r.source)).toContain(b.root);
    expect(message).toMatch(/^could not pull from 1 of 2 replicas: \/nonexistent\/replica: /);
    expect(state(c)).toEqual(state(b));
  });

  it('push --all pushes to every configured replica (push-url over url), past one it cannot reach; sync pulls then pushes', async () => {
    const a = peer('alice');
    const b = await cloneOf(a, 'bob');
    const c = await cloneOf(a, 'carol');
    a.config.set('replica.gone.url', '/nonexistent/replica');
    a.config.set('replica.bob.url', '/nonexistent/bob');
    a.config.set('replica.bob.push-url', b.root);
    a.create('Bug', { summary: 'from alice' });
    const err = await pushAll(a, { env: testEnv() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllReplicasError);
    expect((err as AllReplicasError).message).toMatch(/^could not push to 1 of 2 replicas: \/nonexistent\/replica: /);
    expect(state(b)).toEqual(state(a));

    a.config.set('replica.carol.url', c.root);
    c.create('Bug', { summary: 'from carol' });
    const outcomes = await syncAll(a, { env: testEnv() });
    expect(outcomes.map((o) => [o.direction, o.replica, o.error === undefined])).toEqual([
      ['pull', 'bob', false],
      ['pull', 'carol', true],
      ['pull', 'gone', false],
      ['push', 'bob', true],
      ['push', 'carol', true],
      ['push', 'gone', false],
    ]);
    // What carol had reached bob through alice in the same run.
    expect(state(b)).toEqual(state(c));
  });

  it('a missing replica is named with what to do: a source to read, a target to clone', async () => {
    const a = peer('alice');
    await expect(pull(a, '/nonexistent/x', { env: testEnv() })).rejects.toThrow(/^no prophet replica at \/nonexistent\/x to read from: give a replica's directory/);
    await expect(push(a, '/nonexistent/y', { env: testEnv() })).rejects.toThrow("no prophet replica at /nonexistent/y to merge into: make one with 'prophet clone --from SOURCE --to /nonexistent/y'");
  });
});
