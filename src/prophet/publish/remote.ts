import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProphetError } from '../model/errors.js';
import type { Replica } from '../replica/replica.js';
import { MANIFEST_FILE } from '../transports/manifest.js';
import { publishToDirectory, type PublishOptions, type PublishResult } from './publish.js';

/** `host:path` or `user@host:path`, as rsync and scp write it; not a URL, not a local path. */
export function isRemoteDestination(dest: string): boolean {
  return /^[^/\\:]+:/.test(dest) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(dest) && !/^[A-Za-z]:[\\/]/.test(dest);
}

export interface RemoteOptions extends PublishOptions {
  /** The rsync binary ($RSYNC overrides). */
  rsync?: string;
  /** The remote shell, passed as `rsync -e`. */
  shell?: string;
}

function rsync(bin: string, args: string[], dest: string): void {
  const run = spawnSync(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new ProphetError(`publishing to ${dest} needs rsync, which is not installed (or set $RSYNC); publish to a local directory and copy it instead`, 'io');
  }
  if (run.status !== 0) {
    const why = (run.stderr ?? '').trim().split('\n').pop() ?? `exit ${String(run.status)}`;
    throw new ProphetError(`rsync to ${dest} failed: ${why}`, 'io');
  }
}

/**
 * Publishes into a temporary directory, then copies it with rsync in two
 * passes: packs first (only those the destination lacks: their names are
 * their content), then the pages and the manifest. A reader therefore
 * never sees a manifest naming a pack that is not there yet.
 */
export function publishRemote(replica: Replica, dest: string, opts: RemoteOptions = {}): PublishResult {
  const bin = opts.rsync ?? process.env.RSYNC ?? 'rsync';
  const staging = mkdtempSync(join(tmpdir(), 'prophet-publish-'));
  try {
    const result = publishToDirectory(replica, staging, opts);
    const target = dest.endsWith('/') ? dest : `${dest}/`;
    const common = ['--recursive', '--chmod=Da+rx,a+r', ...(opts.shell ? ['-e', opts.shell] : [])];
    rsync(bin, [...common, '--ignore-existing', `--exclude=/${MANIFEST_FILE}`, '--exclude=/html/', '--', `${staging}/`, target], dest);
    rsync(bin, [...common, '--exclude=/packs/', '--', `${staging}/`, target], dest);
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
