import { BadDataError } from '../model/errors.js';
import { isUuid } from '../model/uuid.js';
import type { ChangesetEntry, ReplicaIdentity } from '../sync/source.js';
import { toEntry } from './pack.js';

/**
 * Push over HTTP, the wire format both ends share. The client asks
 * `GET push/tickets?replica=U&resolutions=R` for what the server has seen
 * of its two logs, then POSTs `push` batches of what it has not.
 */
export const TICKETS_PATH = 'push/tickets';
export const PUSH_PATH = 'push';

export interface PushTickets {
  replica: number;
  resolutions: number;
}

export interface WireIdentity {
  uuid: string;
  database_uuid: string;
}

/** One batch: consecutive changesets of the client's log, and (in the first batch) of its resolution database. */
export interface PushBatch {
  replica: WireIdentity;
  resolutions: WireIdentity;
  changesets: unknown[];
  resolution_changesets: unknown[];
}

/** What the server's merge of a batch did, in the shape of the merge engine's report. */
export interface PushedLog {
  uuid: string;
  integrated: number;
  skipped: number;
}

export interface PushBatchReport {
  changesets: PushedLog;
  resolutions: PushedLog;
  /** The server's reports of the conflicts it settled (plain data, as its journal keeps them). */
  conflicts: unknown[];
}

function identity(raw: unknown, where: string): WireIdentity {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o.uuid !== 'string' || !isUuid(o.uuid) || typeof o.database_uuid !== 'string' || !isUuid(o.database_uuid)) {
    throw new BadDataError(`${where}: missing or malformed replica identity`);
  }
  return { uuid: o.uuid.toLowerCase(), database_uuid: o.database_uuid.toLowerCase() };
}

function entries(raw: unknown, where: string): ChangesetEntry[] {
  if (!Array.isArray(raw)) throw new BadDataError(`${where}: not a list of changesets`);
  const list = raw.map((e, i) => toEntry(e, `${where}[${i}]`));
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.sequence_no <= list[i - 1]!.sequence_no) throw new BadDataError(`${where}[${i}]: sequence number out of order`);
  }
  return list;
}

/** Checks a received batch whole before any of it reaches the merge engine. */
export function parsePushBatch(body: unknown): { replica: ReplicaIdentity; resolutions: ReplicaIdentity; changesets: ChangesetEntry[]; resolutionChangesets: ChangesetEntry[] } {
  if (typeof body !== 'object' || body === null) throw new BadDataError('push: the body is not a JSON object');
  const b = body as Record<string, unknown>;
  const changesets = entries(b.changesets, 'push changesets');
  const resolutionChangesets = entries(b.resolution_changesets ?? [], 'push resolution_changesets');
  // The log's length as far as this batch goes: the merge engine reads up to here.
  const asIdentity = (w: WireIdentity, list: ChangesetEntry[]): ReplicaIdentity => ({ uuid: w.uuid, databaseUuid: w.database_uuid, latestSequenceNo: list[list.length - 1]?.sequence_no ?? 0 });
  return {
    replica: asIdentity(identity(b.replica, 'push replica'), changesets),
    resolutions: asIdentity(identity(b.resolutions, 'push resolutions'), resolutionChangesets),
    changesets,
    resolutionChangesets,
  };
}
