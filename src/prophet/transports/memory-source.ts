import type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from '../sync/source.js';

/** Entries per batch handed to the merge engine. */
const BATCH = 1000;

/**
 * Changesets already in memory and already checked: a bundle read from a
 * file, or one batch of a push. `changesets(after)` skips what the reader
 * has seen; the log's earlier part may simply not be here (a bundle made
 * with --since, a push batch), and the merge engine refuses anything that
 * builds on a changeset the target lacks.
 */
export class MemorySource implements ChangesetSource {
  constructor(
    readonly description: string,
    private readonly ident: ReplicaIdentity,
    private readonly entries: ChangesetEntry[],
    private readonly resolutionSource?: MemorySource,
  ) {}

  async identity(): Promise<ReplicaIdentity> {
    return this.ident;
  }

  resolutions(): ChangesetSource | undefined {
    return this.resolutionSource;
  }

  async *changesets(after: number): AsyncIterable<ChangesetEntry[]> {
    const fresh = this.entries.filter((e) => e.sequence_no > after);
    for (let i = 0; i < fresh.length; i += BATCH) yield fresh.slice(i, i + BATCH);
  }
}
