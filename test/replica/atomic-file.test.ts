import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceFile } from '../../src/prophet/store/atomic-file.js';
import { tempDir } from '../helpers/temp-replica.js';

describe('replaceFile', () => {
  it('replaces a file whole, keeping its mode', () => {
    const path = join(tempDir(), 'config');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    replaceFile(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('leaves the old file and no temporary file when writing fails halfway', () => {
    const dir = tempDir();
    const path = join(dir, 'bundle');
    writeFileSync(path, 'old');
    expect(() =>
      replaceFile(path, (write) => {
        write('half of it');
        throw new Error('the source went away');
      }),
    ).toThrow('the source went away');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['bundle']);
  });

  it('creates a new file with the mode asked for', () => {
    const path = join(tempDir(), 'secret');
    replaceFile(path, 'x', { newFileMode: 0o600 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
