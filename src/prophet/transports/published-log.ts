import type { Replica } from '../replica/replica.js';
import type { ChangesetRow } from '../store/store.js';
import type { ChangesetEntry } from '../sync/source.js';
import type { LogManifest } from './manifest.js';
import { encodePack, PACK_MAX_BYTES, PACK_MAX_CHANGESETS, type BuiltPack, type PackRef } from './pack.js';

/** A stored changeset row as it travels: bytes and signature exactly as stored, never re-signed. */
export function rowToEntry(row: ChangesetRow): ChangesetEntry {
  const entry: ChangesetEntry = { sequence_no: row.seq, original_source_uuid: row.origin_uuid, original_sequence_no: row.origin_seq, hash: row.hash, body: row.body };
  if (row.signature) entry.signature = row.signature;
  return entry;
}

/**
 * Cuts the log from `from` to the end into packs. A pack closes on its own
 * contents alone (count or bytes), so cutting an append-only log again
 * from the same start gives the same packs plus new ones: a re-publish
 * rewrites at most the last, still open, pack.
 */
export function* packLog(replica: Replica, from: number, to = replica.latestSequenceNo()): Generator<BuiltPack> {
  let batch: ChangesetEntry[] = [];
  let bytes = 0;
  for (const row of replica.rawChangesets(from, to)) {
    batch.push(rowToEntry(row));
    bytes += row.body.length;
    if (batch.length >= PACK_MAX_CHANGESETS || bytes >= PACK_MAX_BYTES) {
      yield encodePack(replica.uuid, batch);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) yield encodePack(replica.uuid, batch);
}

/**
 * The log manifest of `replica`, reusing the packs of a previous one:
 * all but its last pack are kept as they are; the log is cut again from
 * the last pack's start. `onPack` sees every pack built, new or not.
 */
export function manifestLog(replica: Replica, previous: LogManifest | undefined, onPack: (pack: BuiltPack) => void): LogManifest {
  const latest = replica.latestSequenceNo();
  const usable = previous && previous.uuid === replica.uuid && previous.latest_sequence_no <= latest;
  const kept: PackRef[] = usable ? previous.packs.slice(0, -1) : [];
  const from = (kept[kept.length - 1]?.last ?? 0) + 1;
  const packs = [...kept];
  for (const pack of packLog(replica, from, latest)) {
    onPack(pack);
    packs.push(pack.ref);
  }
  return { uuid: replica.uuid, database_uuid: replica.databaseUuid, latest_sequence_no: latest, packs };
}
