/**
 * The resolution database as the merge engine uses it: each replica's
 * decision for a conflict fingerprint is one record, created once and never
 * updated, that travels to every peer (it is synced before the main data)
 * and counts as that replica's vote.
 */
import { canonicalJson } from '../model/canonical-json.js';
import { nameBasedUuid } from '../model/uuid.js';
import type { Replica } from '../replica/replica.js';
import type { Conflict, Decision, Vote } from './conflict.js';

export const RESOLUTION_TYPE_PREFIX = '_prophet_resolution-';
/** The property holding who decided, how, and about which record. */
export const META = '_meta';

export interface ResolutionMeta {
  record_type: string;
  record_uuid: string;
  how: Decision['how'];
  /** The replica uuid of the resolution database that recorded it. */
  resolver: string;
  creator: string | null;
}

export function resolutionType(fingerprint: string): string {
  return `${RESOLUTION_TYPE_PREFIX}${fingerprint}`;
}

/**
 * One record per (fingerprint, deciding resolution database), with a uuid
 * derived from both: a replica can never record two decisions for one
 * conflict, and two replicas never write the same record, so the
 * resolution database itself cannot conflict. (uuids are unique across
 * types in our store, hence the fingerprint in the uuid.)
 */
export function resolutionRecordUuid(fingerprint: string, resolverUuid: string): string {
  return nameBasedUuid(`${fingerprint}:${resolverUuid.toLowerCase()}`);
}

export function parseMeta(text: string | undefined): Partial<ResolutionMeta> {
  try {
    const meta: unknown = JSON.parse(text ?? '{}');
    return typeof meta === 'object' && meta !== null ? (meta as Partial<ResolutionMeta>) : {};
  } catch {
    return {};
  }
}

/** Every recorded decision for a fingerprint. */
export function votesFor(resdb: Replica, fingerprint: string): Vote[] {
  return resdb.liveRecords(resolutionType(fingerprint)).map((r) => {
    const { [META]: meta, ...values } = r.props;
    const parsed = parseMeta(meta);
    return { resolver: parsed.resolver ?? r.uuid, creator: parsed.creator ?? null, values };
  });
}

/** Records this replica's decision, unless it recorded one for this fingerprint before. The caller holds the transaction. */
export function recordDecision(resdb: Replica, conflict: Conflict, decision: Decision, creator: string | null): void {
  const uuid = resolutionRecordUuid(conflict.fingerprint, resdb.uuid);
  if (resdb.findRecord(uuid)) return;
  const meta: ResolutionMeta = { record_type: conflict.record_type, record_uuid: conflict.record_uuid, how: decision.how, resolver: resdb.uuid, creator };
  resdb.edit((e) => e.create(resolutionType(conflict.fingerprint), { ...decision.values, [META]: canonicalJson(meta) }, { uuid, raw: true }), { creator });
}
