import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from './manifest.js';
import { PublishedSource } from './published-source.js';

/**
 * A published folder read straight from a disk: a copy on a USB stick, or
 * a folder `publish` wrote, pulled from without any web server.
 */
export class FolderSource extends PublishedSource {
  constructor(readonly dir: string, description = dir) {
    super({
      description,
      text: (path) => readFile(join(dir, path), 'utf8'),
      bytes: async (path) => new Uint8Array(await readFile(join(dir, path))),
      where: (path) => join(dir, path),
      isMissing: (err) => (err as { code?: string }).code === 'ENOENT',
    });
  }

  static holdsPublished(dir: string): boolean {
    return existsSync(join(dir, MANIFEST_FILE));
  }
}
