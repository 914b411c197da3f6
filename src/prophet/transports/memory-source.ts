import { ProphetError } from '../model/errors.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from '../sync/source.js';

/** Entries per batch handed to the merge engine. */
const BATCH = 1000;

/**
 * Changesets already in memory and already checked: a bundle read from a
 * file, or one batch of a push. `changesets(after)` skips what the reader
 * has seen; the log's earlier part may not be here (a bundle made with
 * --since, a push batch), and the merge engine refuses anything that
 * builds on a changeset the target lacks.
 */
export class MemorySource implements ChangesetSource {
  constructor(
    readonly description: string,
    private readonly ident: ReplicaIdentity,
    private readonly entries: ChangesetEntry[],
    private readonly resolutionSource?: MemorySource,
    /** The log here starts after this sequence number (a bundle made with --since). */
    private readonly startsAfter = 0,
  ) {}

  async identity(): Promise<ReplicaIdentity> {
    return this.ident;
  }

  resolutions(): ChangesetSource | undefined {
    return this.resolutionSource;
  }

  async *changesets(after: number): AsyncIterable<ChangesetEntry[]> {
    if (after < this.startsAfter) {
      // Checked by log position rather than left to the merge engine, so the refusal can say what to do.
      throw new ProphetError(
        `${this.description} starts after changeset ${this.startsAfter} of replica ${this.ident.uuid}, but this replica has seen only up to ${after} of it: make a bundle with --since ${after} (or without --since); nothing was applied`,
        'bad-data',
      );
    }
    const fresh = this.entries.filter((e) => e.sequence_no > after);
    for (let i = 0; i < fresh.length; i += BATCH) yield fresh.slice(i, i + BATCH);
  }
}
