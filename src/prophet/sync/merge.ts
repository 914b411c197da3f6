/**
 * The merge engine: everything pull, push and clone do, from any changeset
 * source into any changeset target. Identity first, then what the target
 * has seen, then the rest of the source's resolution database (so the
 * peers' earlier decisions are known before any conflict is met) and of
 * its changesets, streamed in batches.
 */
import { ProphetError } from '../model/errors.js';
import { Replica } from '../replica/replica.js';
import { contiguous } from './contiguous.js';
import { ReplicaTarget } from './replica-target.js';
import type { ChangesetEntry, ChangesetSource, ReplicaIdentity, SyncSummary } from './source.js';
import { emptyPhase, type ChangesetTarget, type IncomingLog, type IntegrateOptions, type IntegrationReport } from './target.js';

export type { ChangesetSummary, MergeProgress, PhaseReport } from './target.js';

export type MergeOptions = IntegrateOptions;

export interface MergeReport extends IntegrationReport {
  source: string;
  dryRun: boolean;
  /** A foreign tracker's side of it: records by type, requests, notices. */
  summary?: SyncSummary;
}

/** A merge whose source is its target: a pull from oneself is up to date already, the CLI says so. */
export class SameReplicaError extends ProphetError {
  constructor(message: string) {
    super(message, 'identity');
    this.name = 'SameReplicaError';
  }
}

/** Refuses to merge a replica into itself, or across databases without force. */
function checkIdentity(source: ChangesetSource, id: ReplicaIdentity, target: { uuid?: string; databaseUuid?: string }, force: boolean, what: string): void {
  if (id.uuid.toLowerCase() === target.uuid) {
    throw new SameReplicaError(`cannot merge ${source.description} into itself: both are ${what} ${target.uuid}`);
  }
  if (target.databaseUuid !== undefined && id.databaseUuid.toLowerCase() !== target.databaseUuid && !force) {
    throw new ProphetError(
      `${source.description} is a different database (${what} database uuid ${id.databaseUuid.toLowerCase()}) from the target's (${target.databaseUuid}); use --force to merge them anyway`,
      'identity',
    );
  }
}

async function* nothing(): AsyncIterable<ChangesetEntry[]> {}

/** The source's log past the target's ticket; nothing is read when there is nothing new. */
function incomingLog(source: ChangesetSource, identity: ReplicaIdentity, after: number): IncomingLog {
  const uuid = identity.uuid.toLowerCase();
  const databaseUuid = identity.databaseUuid.toLowerCase();
  const latest = identity.latestSequenceNo;
  if (after >= latest && !identity.openEnded) return { uuid, databaseUuid, total: 0, batches: nothing() };
  return { uuid, databaseUuid, total: Math.max(latest - after, 0), batches: contiguous(source.changesets(after), after, latest, source.description, identity.openEnded) };
}

export async function merge(source: ChangesetSource, target: ChangesetTarget | Replica, opts: MergeOptions = {}): Promise<MergeReport> {
  const into = target instanceof Replica ? new ReplicaTarget(target) : target;
  const identity = await source.identity();
  const own = await into.identity();
  checkIdentity(source, identity, own.replica, !!opts.force, 'replica');
  const resolutionSource = own.resolutions ? source.resolutions() : undefined;
  const resIdentity = await resolutionSource?.identity();
  if (resIdentity) checkIdentity(resolutionSource!, resIdentity, own.resolutions!, !!opts.force, 'resolution database');

  const tickets = await into.tickets({ replica: identity.uuid.toLowerCase(), resolutions: resIdentity?.uuid.toLowerCase() });
  const changesets = incomingLog(source, identity, tickets.replica);
  const resolutions = resIdentity && incomingLog(resolutionSource!, resIdentity, tickets.resolutions);
  const report = { source: source.description, dryRun: !!opts.dryRun };
  // Nothing new: the cost of a no-op pull is the identity round trips alone.
  if (!changesets.total && !identity.openEnded && !resolutions?.total) {
    return { ...report, resolutions: resolutions && emptyPhase(resolutions.uuid), changesets: emptyPhase(changesets.uuid), conflicts: [], ...summaryOf(source, into) };
  }
  const integrated = await into.integrate({ description: source.description, resolutions, changesets }, { ...opts, batchSize: opts.batchSize ?? source.batchSize });
  return { ...report, ...integrated, ...summaryOf(source, into) };
}

/** A foreign end's own account of the merge, when one of the two ends is foreign. */
function summaryOf(source: ChangesetSource, target: ChangesetTarget): { summary?: SyncSummary } {
  const summary = source.summary?.() ?? target.summary?.();
  return summary ? { summary } : {};
}
