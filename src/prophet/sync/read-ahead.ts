import type { Change } from '../model/types.js';
import type { ExpectedReads } from '../store/store.js';
import type { ChangesetEntry } from './source.js';

/** Entries whose reads are told ahead of one transaction, at most: a big batch's later ones are read as they come. */
export const READ_AHEAD = 500;

const CHANGESET_ID = /^(\d+)@(.+)$/;

/**
 * What integrating `entries` will read before it writes: their records,
 * and the changesets their writes build on (Store.expect). Only a guess to
 * save round trips: an entry that does not parse is skipped here and
 * refused by the integration itself.
 */
export function readsOf(entries: readonly ChangesetEntry[]): ExpectedReads {
  const records = new Set<string>();
  const changesets = new Map<string, { uuid: string; seq: number }>();
  const builtOn = (ids: unknown) => {
    if (!Array.isArray(ids)) return;
    for (const id of ids) {
      const m = typeof id === 'string' ? CHANGESET_ID.exec(id) : null;
      if (m) changesets.set(id as string, { uuid: m[2]!, seq: Number(m[1]) });
    }
  };
  for (const entry of entries.slice(0, READ_AHEAD)) {
    let changes: Record<string, Change>;
    try {
      changes = (JSON.parse(entry.body) as { changes: Record<string, Change> }).changes;
    } catch {
      continue;
    }
    if (typeof changes !== 'object' || changes === null) continue;
    for (const [uuid, change] of Object.entries(changes)) {
      records.add(uuid);
      builtOn(change?.pred);
      for (const prop of Object.values(change?.prop_changes ?? {})) builtOn(prop?.pred);
    }
  }
  return { records: [...records], changesets: [...changesets.values()] };
}
