import { BadDataError } from '../model/errors.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from '../sync/source.js';
import { HttpClient, httpBase, HttpError, type HttpOptions } from './http-fetch.js';
import { MANIFEST_FILE, parseManifest, type LogManifest, type Manifest } from './manifest.js';
import { decodePack, packPath, type PackRef } from './pack.js';

/** Packs fetched ahead of the one being applied: overlaps the network with the merge. */
const PREFETCH = 3;

/**
 * A replica published over HTTP, on any static host or a `prophet server`:
 * one request for the manifest (identity, log length and packs, for the
 * replica and its resolution database alike), then only the packs past the
 * reader's merge ticket. Every pack is checked against its name and every
 * changeset against its hash before it is handed on.
 */
export class HttpSource implements ChangesetSource {
  readonly description: string;
  readonly client: HttpClient;
  private manifest?: Promise<Manifest>;

  constructor(url: string, opts: HttpOptions = {}) {
    this.client = new HttpClient(httpBase(url), opts);
    this.description = this.client.base.href;
  }

  /** The manifest, fetched once per source: a pull sees one consistent snapshot. */
  fetchManifest(): Promise<Manifest> {
    this.manifest ??= this.client.text(MANIFEST_FILE).then(
      (text) => parseManifest(text, this.client.url(MANIFEST_FILE).href),
      (err: unknown) => {
        if (err instanceof HttpError && err.status === 404) {
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
    return new HttpLogSource(this, 'resolutions');
  }

  changesets(after: number): AsyncIterable<ChangesetEntry[]> {
    return new HttpLogSource(this, 'replica').changesets(after);
  }
}

function identityOf(log: LogManifest): ReplicaIdentity {
  return { uuid: log.uuid, databaseUuid: log.database_uuid, latestSequenceNo: log.latest_sequence_no };
}

/** One of the two logs a manifest describes. */
class HttpLogSource implements ChangesetSource {
  readonly description: string;

  constructor(
    private readonly parent: HttpSource,
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
    const data = await this.parent.client.bytes(path);
    return decodePack(data, ref, replicaUuid, this.parent.client.url(path).href);
  }
}
