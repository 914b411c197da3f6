import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pull, Replica, runCli, ValidationError } from '../../src/prophet/index.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { PERSON, phonebookApp } from './app.js';

async function phonebook(root: string, env: NodeJS.ProcessEnv, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(phonebookApp, ['--repo', root, ...argv], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env, cwd: root });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('a second app on the public API: a phone book', () => {
  it('adds and finds people through its own commands, validating what it stores', async () => {
    const root = join(tempDir(), 'book');
    const env = testEnv();
    expect((await phonebook(root, env, 'init')).code).toBe(0);
    expect(await phonebook(root, env, 'add', 'Ada', '(555) 123-4567')).toMatchObject({ code: 0, stdout: 'Added Ada as 1.\n' });
    expect(await phonebook(root, env, 'find', 'ad')).toMatchObject({ code: 0, stdout: 'Ada: 5551234567\n' });
    const bad = await phonebook(root, env, 'add', 'Bob', 'not-a-number');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/'notanumber' is not a phone number/);
  });

  it('syncs between replicas, and a conflict is settled once and travels', async () => {
    const dir = tempDir();
    const env = testEnv('ann@example.com');
    const home = Replica.init(join(dir, 'home'), { env, app: phonebookApp.definition });
    const { uuid } = home.create(PERSON, { name: 'Ada', phone: '555' });
    expect(() => home.create(PERSON, { phone: '123' })).toThrow(ValidationError);

    expect((await phonebook(dir, env, 'clone', '--from', join(dir, 'home'), '--to', join(dir, 'laptop'))).code).toBe(0);
    const laptop = Replica.open(join(dir, 'laptop'), { env, app: phonebookApp.definition });
    home.update(PERSON, uuid, { phone: '111' });
    laptop.update(PERSON, uuid, { phone: '222' });

    await expect(pull(laptop, home.root, { env })).rejects.toThrow(/cannot resolve the conflict on Person/);
    const settled = await pull(laptop, home.root, { env, prefer: 'target' });
    expect(settled.conflicts.map((c) => [c.name, c.chosen, c.how])).toEqual([['phone', '222', 'prefer']]);
    await pull(home, laptop.root, { env });
    expect(home.get(uuid).props).toEqual(laptop.get(uuid).props);
    expect(home.get(uuid).props.phone).toBe('222');
    expect(home.conflictedProperties(uuid)).toEqual([]);
    home.close();
    laptop.close();
  });
});
