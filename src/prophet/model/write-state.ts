/**
 * The state of one property (or of a record's existence) is the set of
 * writes that no later write replaced: its heads. This module is the pure
 * rule for that set and for the one value every replica shows from it;
 * the replica's live path (applying a changeset), history (a record as it
 * was) and the merge engine (finding conflicts) all run this rule.
 *
 * Why this converges: applying a write removes exactly the heads it names
 * and adds itself. Delivery is causal (a write's predecessors always arrive
 * first), so concurrent writes commute and every replica that has seen the
 * same writes holds the same heads, and so shows the same value.
 */
import type { Change } from './types.js';

/** The name under which a record's existence is kept among its heads; no property may take it. */
export const EXISTENCE = '';

/**
 * A write as the rule sees it: its identity in whatever form the caller
 * keeps it (a global changeset id, or a replica's local sequence number),
 * and the value written (null: unset, or for existence, deleted).
 */
export interface Write<Id> {
  id: Id;
  value: string | null;
}

/** A write named by its global changeset id, with when it was made: enough to pick the shown value. */
export interface Head extends Write<string> {
  /** The first key of the fixed tie-break. */
  created: string;
}

export interface WriteResult<W> {
  heads: W[];
  /** True when the write left other heads standing: it was concurrent with them. */
  concurrent: boolean;
}

/** Folds one write into a property's heads: the heads it names go, it stays. Applying a write twice changes nothing. */
export function applyWrite<W extends Write<unknown>>(heads: readonly W[], write: W, pred: Iterable<W['id']>): WriteResult<W> {
  if (heads.some((h) => h.id === write.id)) return { heads: [...heads], concurrent: false };
  const replaced = pred instanceof Set ? (pred as ReadonlySet<W['id']>) : new Set(pred);
  const kept = heads.filter((h) => !replaced.has(h.id));
  return { heads: [...kept, write], concurrent: kept.length > 0 };
}

/** Whether the heads disagree: several heads with different values. */
export function isConflicted(heads: readonly Write<unknown>[]): boolean {
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
export function isLive(existenceHeads: readonly Write<unknown>[]): boolean {
  return existenceHeads.some((h) => h.value !== null);
}

/** One write of a change: the property (or EXISTENCE), its new value, and the writes it replaces. */
export interface NamedWrite {
  name: string;
  value: string | null;
  pred: readonly string[];
}

/** A record's change as the writes the rule folds: its existence first, then each property ("" is stored as unset). */
export function writesOf(change: Change): NamedWrite[] {
  const writes: NamedWrite[] = [{ name: EXISTENCE, value: change.change_type === 'delete' ? null : '1', pred: change.pred }];
  for (const [name, pc] of Object.entries(change.prop_changes)) writes.push({ name, value: pc.new_value || null, pred: pc.pred });
  return writes;
}
