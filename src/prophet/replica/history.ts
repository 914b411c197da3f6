import { changesetId } from '../model/changeset.js';
import { ProphetError } from '../model/errors.js';
import type { Change, Changeset, Properties } from '../model/types.js';
import { applyWrite, EXISTENCE, isLive, winningHead, writesOf, type Head } from '../model/write-state.js';
import { storeOf, type Replica } from './replica.js';

export interface HistoryEntry {
  changeset: Changeset;
  change: Change;
}

/**
 * The sequence numbers of the changesets that touched a record (by local
 * id), oldest first, without reading them: a bulk load's changesets hold
 * hundreds of records, and reading one costs milliseconds.
 */
export function changeSeqs(replica: Replica, luid: number): number[] {
  return storeOf(replica).changeSeqsOfRecord(luid);
}

/** Every changeset that touched a record, oldest first, with the record's part of each. */
export function history(replica: Replica, uuid: string): HistoryEntry[] {
  const row = storeOf(replica).recordByUuid(uuid);
  if (!row) return [];
  return changeSeqs(replica, row.luid).map((seq) => {
    const changeset = replica.changeset(seq)!;
    return { changeset, change: changeset.changes[uuid]! };
  });
}

export interface PastState {
  live: boolean;
  props: Properties;
}

/**
 * The record as it was right after changeset `seq` of this replica's log:
 * its own changes up to there, replayed through the same write rule that
 * built the current state.
 */
export function recordAsOf(replica: Replica, uuid: string, seq: number): PastState {
  const heads = new Map<string, Head[]>();
  for (const { changeset, change } of history(replica, uuid)) {
    if (changeset.sequence_no > seq) break;
    if (changeset.is_nullification) continue;
    const at = { id: changesetId(changeset.original_source_uuid, changeset.original_sequence_no), created: changeset.created };
    for (const w of writesOf(change)) heads.set(w.name, applyWrite(heads.get(w.name) ?? [], { ...at, value: w.value }, w.pred).heads);
  }
  const props: Properties = {};
  for (const [name, hs] of heads) {
    if (name === EXISTENCE) continue;
    const value = winningHead(hs)?.value;
    if (value) props[name] = value;
  }
  return { live: isLive(heads.get(EXISTENCE) ?? []), props };
}

export interface PropertyDifference {
  name: string;
  then: string | null;
  now: string | null;
}

/** How a record's properties differ between changeset `seq` and now. */
export function diffSince(replica: Replica, uuid: string, seq: number): { then: PastState; now: PastState; differences: PropertyDifference[] } {
  const then = recordAsOf(replica, uuid, seq);
  const now = recordAsOf(replica, uuid, replica.latestSequenceNo());
  const names = [...new Set([...Object.keys(then.props), ...Object.keys(now.props)])].sort();
  const differences = names
    .filter((n) => then.props[n] !== now.props[n])
    .map((name) => ({ name, then: then.props[name] ?? null, now: now.props[name] ?? null }));
  return { then, now, differences };
}

/** A log range: `N`, `LATEST`, `LATEST~k` (one changeset), or `A..B` of those (inclusive). */
export function parseLogRange(text: string, latest: number): { from: number; to: number } {
  const point = (p: string): number => {
    const t = p.trim();
    if (/^\d+$/.test(t)) return Number(t);
    const m = /^LATEST(?:~(\d+))?$/i.exec(t);
    if (m) return Math.max(latest - Number(m[1] ?? 0), 0);
    throw new ProphetError(`invalid log range '${text}': use N, LATEST, LATEST~K or START..END`);
  };
  const parts = text.split('..');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
    throw new ProphetError(`invalid log range '${text}': use N, LATEST, LATEST~K or START..END`);
  }
  if (parts.length === 1) {
    const p = point(parts[0]!);
    return { from: p, to: p };
  }
  const from = point(parts[0]!);
  const to = point(parts[1]!);
  if (from > to) throw new ProphetError(`invalid log range '${text}': START must not be after END in START..END`);
  return { from: Math.max(from, 1), to: Math.min(to, latest) };
}
