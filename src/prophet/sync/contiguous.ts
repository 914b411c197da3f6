import { BadDataError } from '../model/errors.js';
import type { ChangesetEntry } from './source.js';

/**
 * A source's log as the merge reads it: every position from the target's
 * ticket up to the length the source announced, in order. A source that
 * skips positions (a pack missing from a manifest, lines cut from a
 * bundle, a push batch with a hole) is refused at the hole, so the
 * target's ticket never moves past changesets it did not get.
 */
export async function* contiguous(batches: AsyncIterable<ChangesetEntry[]>, after: number, latest: number, description: string, openEnded = false): AsyncIterable<ChangesetEntry[]> {
  let expected = after + 1;
  const missing = (upTo: number) => new BadDataError(`${description} is missing changesets ${expected === upTo ? expected : `${expected} to ${upTo}`} of its log; nothing from there on was merged (the changesets before them were)`);
  for await (const batch of batches) {
    for (const entry of batch) {
      if (entry.sequence_no > expected) throw missing(entry.sequence_no - 1);
      if (entry.sequence_no < expected) throw new BadDataError(`${description} lists changeset ${entry.sequence_no} of its log again or out of order (expected ${expected})`);
      expected++;
    }
    yield batch;
  }
  // An open-ended log (a foreign tracker's) ends where its stream does.
  if (!openEnded && expected <= latest) throw missing(latest);
}
