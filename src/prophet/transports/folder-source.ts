import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { overLimit, type ByteLimit } from './limits.js';
import { MANIFEST_FILE } from './manifest.js';
import { PublishedSource, type FileRead } from './published-source.js';

/**
 * A published folder read straight from a disk: a copy on a USB stick, or
 * a folder `publish` wrote, pulled from without any web server.
 */
export class FolderSource extends PublishedSource {
  constructor(readonly dir: string, description = dir) {
    super({
      description,
      read: (path, limit) => readWithin(join(dir, path), limit),
      where: (path) => join(dir, path),
    });
  }

  static holdsPublished(dir: string): boolean {
    return existsSync(join(dir, MANIFEST_FILE));
  }
}

/** A file checked before it is read: there, a regular file (not a directory, a device or a pipe), within the limit. */
async function readWithin(path: string, limit: ByteLimit): Promise<FileRead> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { absent: 'is not a file' };
    if (info.size > limit.bytes) throw overLimit(path, limit, info.size);
    const found = await readFile(path);
    // It may have grown since the stat.
    if (found.length > limit.bytes) throw overLimit(path, limit, found.length);
    return { found };
  } catch (err) {
    if (err instanceof ProphetError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { absent: 'is missing' };
    if (code === 'EISDIR') return { absent: 'is not a file' };
    throw new ProphetError(`cannot read ${path}: ${(err as Error).message}`, 'io');
  }
}
