import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Replica, type InitOptions } from '../../src/prophet/replica/replica.js';

const made: string[] = [];

afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A fresh directory under the system temp dir, removed after the test. */
export function tempDir(prefix = 'prophet-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** An environment with an identity and a private HOME, so no real config is read. */
export function testEnv(email = 'alice@example.com'): NodeJS.ProcessEnv {
  return { HOME: tempDir('prophet-home-'), PROPHET_EMAIL: email };
}

export function newReplica(opts: InitOptions = {}): Replica {
  return Replica.init(join(tempDir(), 'replica'), { env: testEnv(), ...opts });
}
