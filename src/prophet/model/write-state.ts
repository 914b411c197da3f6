/**
 * The state of one property (or of a record's existence) is the set of
 * writes that no later write replaced: its heads. This module is the pure
 * rule for that set and for the one value every replica shows from it.
 *
 * Why this converges: applying a write removes exactly the heads it names
 * and adds itself. Delivery is causal (a write's predecessors always arrive
 * first), so concurrent writes commute and every replica that has seen the
 * same writes holds the same heads, and so shows the same value.
 */

export interface Head {
  /** The global changeset id of the write. */
  id: string;
  /** When the write was made; the first key of the fixed tie-break. */
  created: string;
  /** The written value; null means the property is unset (or the record deleted). */
  value: string | null;
}

export interface WriteResult {
  heads: Head[];
  /** True when the write left other heads standing: it was concurrent with them. */
  concurrent: boolean;
}

export function applyWrite(heads: readonly Head[], write: Head, pred: readonly string[]): WriteResult {
  if (heads.some((h) => h.id === write.id)) return { heads: [...heads], concurrent: false };
  const replaced = new Set(pred);
  const kept = heads.filter((h) => !replaced.has(h.id));
  return { heads: [...kept, write], concurrent: kept.length > 0 };
}

/** Whether the heads disagree: several heads with different values. */
export function isConflicted(heads: readonly Head[]): boolean {
  return heads.some((h) => h.value !== heads[0]?.value);
}

/**
 * The head whose value is shown: while heads disagree, the latest write
 * wins, with the changeset id as the final tie-break, so the choice depends
 * on the set alone and never on the order it was built in.
 */
export function winningHead(heads: readonly Head[]): Head | undefined {
  let best: Head | undefined;
  for (const h of heads) {
    if (!best || h.created > best.created || (h.created === best.created && h.id > best.id)) best = h;
  }
  return best;
}

/**
 * A record exists while any of its existence heads is live: an update made
 * concurrently with a delete brings the record back whole, so no edit is
 * silently lost. A later delete, made having seen both, removes it again.
 */
export function isLive(existenceHeads: readonly Head[]): boolean {
  return existenceHeads.some((h) => h.value !== null);
}
