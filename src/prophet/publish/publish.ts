import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BadDataError, ProphetError } from '../model/errors.js';
import type { Replica } from '../replica/replica.js';
import { isRunning } from '../replica/running-process.js';
import { replaceFile, stageDirectory, type StagedDirectory } from '../store/atomic-file.js';
import { describeFsError, DiskFullError } from '../store/disk-errors.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, parseManifest, type Manifest } from '../transports/manifest.js';
import { packPath, type BuiltPack } from '../transports/pack.js';
import { manifestLog } from '../transports/published-log.js';
import { writeHtml } from './html.js';

/** Writes an app's browsable pages of a replica into an empty directory (SD's web UI templates); Prophet's plain pages when an app has none. */
export type HtmlExport = (replica: Replica, dir: string) => void;

export interface PublishOptions {
  /** Also write browsable pages of the records under `html/`. */
  html?: boolean;
  /** Who writes them; Prophet's plain pages of every record by default. */
  htmlExport?: HtmlExport;
}

export interface PublishResult {
  changesets: number;
  packsWritten: number;
  packsKept: number;
}

// What replaceFile names its temporary files, `<file>.tmp-<pid>-<n>` (and earlier releases `<file>.tmp-<pid>`).
const TEMPORARY = /\.tmp-(\d+)(?:-\d+)?$/;

/** Removes what a publish killed midway left in `dir`: temporary files of a process that is gone. */
function removeAbandonedFiles(dir: string): void {
  for (const file of readdirSync(dir)) {
    const pid = TEMPORARY.exec(file)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(dir, file), { force: true });
  }
}

function previousManifest(dir: string, replica: Replica): Manifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  let manifest: Manifest;
  try {
    manifest = parseManifest(readFileSync(path, 'utf8'), path);
  } catch (err) {
    // A damaged manifest of ours is rebuilt from the replica; packs are rewritten as needed.
    if (err instanceof BadDataError) return undefined;
    throw err;
  }
  if (manifest.replica.uuid !== replica.uuid) {
    throw new ProphetError(`${dir} holds the published replica ${manifest.replica.uuid}, not this one (${replica.uuid}); publish somewhere else`);
  }
  return manifest;
}

/**
 * Publishes `replica` into a local directory: new packs and pages first,
 * then the manifest in one rename, so a reader at any instant sees a
 * complete replica, old or new. A failure (a full disk) removes what this
 * run wrote and leaves the previous publication as it was. Packs no longer
 * named by this manifest or the one before are removed (a reader still
 * holding the old manifest can finish).
 */
export function publishToDirectory(replica: Replica, dir: string, opts: PublishOptions = {}): PublishResult {
  const action = `publish to ${dir}`;
  try {
    mkdirSync(join(dir, 'packs'), { recursive: true });
  } catch (err) {
    throw describeFsError(err, dir, action);
  }
  for (const where of [dir, join(dir, 'packs')]) removeAbandonedFiles(where);
  const previous = previousManifest(dir, replica);
  const result: PublishResult = { changesets: 0, packsWritten: 0, packsKept: 0 };
  const written: string[] = [];
  let pages: StagedDirectory | undefined;
  const store = (pack: BuiltPack) => {
    const path = join(dir, packPath(pack.ref.hash));
    // Content-addressed: a pack already there is this pack.
    if (existsSync(path)) return;
    replaceFile(path, pack.data, { action });
    written.push(path);
    result.packsWritten++;
  };
  let manifest: Manifest;
  try {
    manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      replica: manifestLog(replica, previous?.replica, store),
      resolutions: manifestLog(replica.resdb, previous?.resolutions, store),
    };
    if (opts.html) {
      pages = stageDirectory(join(dir, 'html'));
      (opts.htmlExport ?? writeHtml)(replica, pages.path);
    }
    replaceFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`, { action });
  } catch (err) {
    // The previous manifest still stands, and names none of what this run wrote.
    pages?.discard();
    for (const path of written) rmSync(path, { force: true });
    throw err instanceof DiskFullError ? new DiskFullError(dir) : describeFsError(err, dir, action);
  }
  pages?.commit();
  result.packsKept = manifest.replica.packs.length + manifest.resolutions.packs.length - result.packsWritten;
  result.changesets = manifest.replica.latest_sequence_no;
  removeUnnamedPacks(dir, [manifest, previous]);
  return result;
}

function removeUnnamedPacks(dir: string, manifests: Array<Manifest | undefined>): void {
  const named = new Set<string>();
  for (const m of manifests) for (const p of [...(m?.replica.packs ?? []), ...(m?.resolutions.packs ?? [])]) named.add(`${p.hash}.pack`);
  for (const file of readdirSync(join(dir, 'packs'))) {
    if (/^[0-9a-f]{64}\.pack$/.test(file) && !named.has(file)) rmSync(join(dir, 'packs', file), { force: true });
  }
}
