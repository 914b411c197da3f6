/**
 * What a clone killed midway leaves: its staging directory beside the
 * target. The next clone there removes it once its process is gone, and
 * nothing takes one for a replica meanwhile.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { clone, pull } from '../../src/prophet/replication/operations.js';
import { Sandbox } from '../cli/helpers.js';
import { deadPid, PROPHET, start } from '../helpers/processes.js';
import { newReplica, tempDir, testEnv } from '../helpers/temp-replica.js';

/** A staging directory as a clone killed midway leaves it: part of a replica, the marker, the owner's pid in its name. */
function leftStaging(parent: string, target: string, pid: number, host = hostname()): string {
  const dir = join(parent, `.${target}.cloning-${pid}-AbC123`);
  const partial = newReplica();
  partial.create('Bug', { summary: 'half' });
  partial.close();
  cpSync(partial.root, dir, { recursive: true });
  writeFileSync(join(dir, 'UNFINISHED-CLONE'), JSON.stringify({ target: join(parent, target), pid, host, started: new Date().toISOString() }));
  return dir;
}

describe('a clone killed midway', () => {
  it('leaves a staging directory that the next clone beside it removes', async () => {
    const source = newReplica();
    source.create('Bug', { summary: 'x' });
    const parent = tempDir();
    leftStaging(parent, 'copy', deadPid());
    leftStaging(parent, 'elsewhere', deadPid());
    const { replica } = await clone(source.root, join(parent, 'copy'), { env: testEnv() });
    replica.close();
    expect(readdirSync(parent)).toEqual(['copy']);
  });

  it('keeps a staging directory whose clone still runs, or that another host made', async () => {
    const source = newReplica();
    const parent = tempDir();
    const running = leftStaging(parent, 'copy', process.pid);
    const foreign = leftStaging(parent, 'copy2', deadPid(), 'another-host.example');
    (await clone(source.root, join(parent, 'copy'), { env: testEnv() })).replica.close();
    expect(readdirSync(parent).sort()).toEqual(['copy', running.slice(parent.length + 1), foreign.slice(parent.length + 1)].sort());
  });

  it('is never taken for a replica: opening, pulling or cloning from it says it is an unfinished clone', async () => {
    const parent = tempDir();
    const staging = leftStaging(parent, 'copy', deadPid());
    const unfinished = new RegExp(`^${staging.replaceAll('.', '\\.')} is an unfinished clone into ${join(parent, 'copy')}, not a replica: .*clone again`);
    expect(() => Replica.open(staging)).toThrow(unfinished);
    const target = newReplica();
    await expect(pull(target, staging, { env: testEnv() })).rejects.toThrow(unfinished);
    await expect(clone(staging, join(parent, 'other'), { env: testEnv() })).rejects.toThrow(unfinished);
    // Its name alone says so, even before the marker is written.
    const bare = join(parent, `.copy.cloning-${deadPid()}-Xyz789`);
    mkdirSync(bare);
    expect(() => Replica.open(bare)).toThrow(/is an unfinished clone, not a replica/);
  });

  it('under kill -9 from the CLI: the retried clone completes and no staging directory is left', async () => {
    const box = new Sandbox();
    try {
      box.ok(['init']);
      const source = Replica.open(box.repo, { env: box.env });
      // 3,000 changesets, written in one transaction so building them is quick.
      source.transaction(() => {
        for (let i = 0; i < 3000; i++) source.create('Bug', { summary: `bug ${i}` });
      });
      source.close();
      const target = join(box.dir, 'copy');
      const cloning = start(PROPHET, ['clone', '--from', box.repo, '--to', target], box.env, box.dir);
      while (!readdirSync(box.dir).some((f) => f.startsWith('.copy.cloning-')) && !existsSync(join(target, 'db.sqlite'))) await new Promise((ok) => setTimeout(ok, 2));
      process.kill(cloning.pid, 'SIGKILL');
      await cloning.done;
      const staged = () => readdirSync(box.dir).filter((f) => f.includes('.cloning-'));
      // Killed while staging (3000 changesets take a while): the litter is there until the next clone.
      expect(existsSync(join(target, 'db.sqlite'))).toBe(false);
      expect(staged()).toHaveLength(1);
      box.ok(['clone', '--from', box.repo, '--to', target]);
      expect(staged()).toEqual([]);
      expect(box.json<unknown[]>(['search', '--type', 'Bug'], { env: { PROPHET_REPO: target } })).toHaveLength(3000);
    } finally {
      box.cleanup();
    }
  });
});
