import { BadDataError, ProphetError } from '../model/errors.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from '../sync/source.js';
import type { ByteLimit } from './limits.js';
import { MANIFEST_FILE, MANIFEST_LIMIT, parseManifest, type LogManifest, type LogName, type Manifest } from './manifest.js';
import { decodePack, packPath, type PackRange, type PackRef } from './pack.js';

/** Packs fetched ahead of the one being applied: overlaps the reads with the merge. */
const PREFETCH = 3;

/** Why a file of a published folder could not be had: nothing there, or a directory (a device...) in its place. */
export type Absence = 'is missing' | 'is not a file';

/** What reading one file of a published folder found: its bytes, or why there are none. */
export type FileRead = { found: Buffer } | { absent: Absence };

/**
 * How a published folder's files are read: over HTTP, or from a disk (a
 * USB stick). A reader only fetches; what a missing or odd file means is
 * worded once, here, the same for both.
 */
export interface PublishedFiles {
  /** The folder, for messages. */
  readonly description: string;
  /**
   * The whole file at `path` (relative to the folder), refused with one
   * line naming the limit past `limit` bytes. A pack comes with its range,
   * which a live server may need and a folder ignores.
   */
  read(path: string, limit: ByteLimit, range?: PackRange): Promise<FileRead>;
  /** Where a file is, for messages. */
  where(path: string): string;
}

/** A pack is exactly as long as the manifest says: its name is the hash of those bytes. */
function packLimit(ref: PackRef): ByteLimit {
  return { bytes: ref.bytes, what: `this pack (its size in ${MANIFEST_FILE})` };
}

/**
 * A published replica, on any static host, a `prophet server` or a disk:
 * one read of the manifest (identity, log length and packs, for the
 * replica and its resolution database alike), then only the packs past the
 * reader's merge ticket. Every pack is checked against its name and every
 * changeset against its hash before it is handed on.
 */
export class PublishedSource implements ChangesetSource {
  readonly description: string;
  private manifest?: Promise<Manifest>;

  constructor(readonly files: PublishedFiles) {
    this.description = files.description;
  }

  /** The manifest, read once per source: a pull sees one consistent snapshot. */
  fetchManifest(): Promise<Manifest> {
    this.manifest ??= this.files.read(MANIFEST_FILE, MANIFEST_LIMIT).then((read) => {
      if ('found' in read) return parseManifest(read.found.toString('utf8'), this.files.where(MANIFEST_FILE));
      if (read.absent === 'is missing') throw new BadDataError(`${this.description} is not a published prophet replica (${MANIFEST_FILE} is not there)`);
      throw absence(MANIFEST_FILE, this.description, read.absent);
    });
    return this.manifest;
  }

  async identity(): Promise<ReplicaIdentity> {
    return identityOf((await this.fetchManifest()).replica);
  }

  resolutions(): ChangesetSource {
    return new PublishedLogSource(this, 'resolutions');
  }

  changesets(after: number): AsyncIterable<ChangesetEntry[]> {
    return new PublishedLogSource(this, 'replica').changesets(after);
  }
}

/** A file of the folder that could not be had, in the words a disk and a server share. */
function absence(name: string, folder: string, absent: Absence, hint = ''): ProphetError {
  return new ProphetError(`${name} of ${folder} ${absent}${hint}`, absent === 'is missing' ? 'not-found' : 'bad-data');
}

function identityOf(log: LogManifest): ReplicaIdentity {
  return { uuid: log.uuid, databaseUuid: log.database_uuid, latestSequenceNo: log.latest_sequence_no };
}

/** One of the two logs a manifest describes. */
class PublishedLogSource implements ChangesetSource {
  readonly description: string;

  constructor(
    private readonly parent: PublishedSource,
    private readonly which: LogName,
  ) {
    this.description = which === 'replica' ? parent.description : `${parent.description} (resolutions)`;
  }

  async identity(): Promise<ReplicaIdentity> {
    return identityOf((await this.parent.fetchManifest())[this.which]);
  }

  resolutions(): undefined {
    return undefined;
  }

  async *changesets(after: number): AsyncIterable<ChangesetEntry[]> {
    const log = (await this.parent.fetchManifest())[this.which];
    const wanted = log.packs.filter((p) => p.last > after);
    const fetching: Array<Promise<ChangesetEntry[]>> = [];
    const start = (i: number) => {
      const ref = wanted[i];
      if (ref) fetching[i] = this.fetchPack(ref, log.uuid);
      // Settled later, in order; a rejection waiting its turn must not count as unhandled.
      fetching[i]?.catch(() => undefined);
    };
    for (let i = 0; i < Math.min(PREFETCH, wanted.length); i++) start(i);
    for (let i = 0; i < wanted.length; i++) {
      start(i + PREFETCH);
      const entries = (await fetching[i]!).filter((e) => e.sequence_no > after);
      delete fetching[i];
      if (entries.length) yield entries;
    }
  }

  private async fetchPack(ref: PackRef, replicaUuid: string): Promise<ChangesetEntry[]> {
    const { files } = this.parent;
    const path = packPath(ref.hash);
    const read = await files.read(path, packLimit(ref), { log: this.which, first: ref.first, last: ref.last });
    if ('absent' in read) {
      // A re-publish keeps the previous generation's packs, so a pack goes missing only from a half-copied folder or after two re-publishes mid-pull.
      const hint = read.absent === 'is missing' ? ` (a partial copy of the folder, or re-published during the pull: pull again)` : '';
      throw absence(`pack ${ref.hash}`, files.description, read.absent, hint);
    }
    return decodePack(read.found, ref, replicaUuid, files.where(path));
  }
}
