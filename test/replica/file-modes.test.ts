import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../src/prophet/replica/replica.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('a new replica\'s files', () => {
  it('are private: the database and the -wal and -shm files SQLite makes beside it', () => {
    const root = join(tempDir(), 'r');
    const replica = Replica.init(root, { env: testEnv() });
    try {
      replica.create('Bug', { summary: 'open, so the log files exist' });
      for (const file of ['db.sqlite', 'db.sqlite-wal', 'db.sqlite-shm']) expect(mode(join(root, file)), file).toBe(0o600);
    } finally {
      replica.close();
    }
  });

  it('follow the umask with PROPHET_PRIVATE_FILES=0', () => {
    const root = join(tempDir(), 'r');
    const replica = Replica.init(root, { env: { ...testEnv(), PROPHET_PRIVATE_FILES: '0' } });
    try {
      expect(mode(join(root, 'db.sqlite'))).toBe(0o666 & ~process.umask());
    } finally {
      replica.close();
    }
  });
});
