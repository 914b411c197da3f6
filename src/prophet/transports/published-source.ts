import { BadDataError } from '../model/errors.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from '../sync/source.js';
import { MANIFEST_FILE, parseManifest, type LogManifest, type Manifest } from './manifest.js';
import { decodePack, packPath, type PackRef } from './pack.js';

/** Packs fetched ahead of the one being applied: overlaps the reads with the merge. */
const PREFETCH = 3;

/** How a published folder's files are read: over HTTP, or from a disk (a USB stick). */
export interface PublishedFiles {
  /** The folder, for messages. */
  readonly description: string;
  text(path: string): Promise<string>;
  bytes(path: string): Promise<Uint8Array>;
  /** Where a file is, for messages. */
  where(path: string): string;
  /** Whether a read failed because the file is not there. */
  isMissing(err: unknown): boolean;
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
    this.manifest ??= this.files.text(MANIFEST_FILE).then(
      (text) => parseManifest(text, this.files.where(MANIFEST_FILE)),
      (err: unknown) => {
        if (this.files.isMissing(err)) {
          throw new BadDataError(`${this.description} is not a published prophet replica (${MANIFEST_FILE} is not there)`);
        }
        throw err;
      },
    );
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

function identityOf(log: LogManifest): ReplicaIdentity {
  return { uuid: log.uuid, databaseUuid: log.database_uuid, latestSequenceNo: log.latest_sequence_no };
}

/** One of the two logs a manifest describes. */
class PublishedLogSource implements ChangesetSource {
  readonly description: string;

  constructor(
    private readonly parent: PublishedSource,
    private readonly which: 'replica' | 'resolutions',
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
    const path = packPath(ref.hash);
    const data = await this.parent.files.bytes(path);
    return decodePack(data, ref, replicaUuid, this.parent.files.where(path));
  }
}
