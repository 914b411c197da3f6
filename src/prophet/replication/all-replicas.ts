/**
 * Pull from, push to, or sync with every configured replica: a gateway
 * in one command. Each replica is synced on its own and commits on its
 * own, so one that is down or refuses does not keep the others from
 * being synced; the failures are reported together at the end.
 */
import { ProphetError } from '../model/errors.js';
import { redactUrls } from '../model/redact.js';
import type { Replica } from '../replica/replica.js';
import type { MergeReport } from '../sync/merge.js';
import { pull, push, type SyncOptions } from './operations.js';
import { configuredReplicas, replicaUrl } from './replica-urls.js';

/** A replica a pull or push of all of them could not sync with, and why. */
export interface ReplicaFailure {
  source: string;
  error: string;
}

/** Some replicas failed; the others were synced (their reports are here). */
export class AllReplicasError extends ProphetError {
  constructor(
    readonly reports: MergeReport[],
    readonly failures: ReplicaFailure[],
    verb = 'pull from',
  ) {
    const total = reports.length + failures.length;
    super(`could not ${verb} ${failures.length} of ${total} replicas: ${failures.map((f) => `${f.source}: ${f.error}`).join('; ')}`, 'partial');
    this.name = 'AllReplicasError';
  }
}

/** What syncing with one configured replica did. */
export interface ReplicaOutcome {
  /** Its name in the config (credentials masked). */
  replica: string;
  /** The URL it stands for (credentials masked). */
  url: string;
  direction: 'pull' | 'push';
  report?: MergeReport;
  error?: string;
}

/** Pulls from (or pushes to) every configured replica in turn, each on its own: what each did or why it failed. */
export async function eachReplica(replica: Replica, direction: 'pull' | 'push', opts: SyncOptions): Promise<ReplicaOutcome[]> {
  const outcomes: ReplicaOutcome[] = [];
  for (const name of configuredReplicas(replica, direction)) {
    const outcome: ReplicaOutcome = { replica: redactUrls(name), url: redactUrls(replicaUrl(replica, name, direction)), direction };
    try {
      outcome.report = await (direction === 'pull' ? pull(replica, name, opts) : push(replica, name, opts));
    } catch (err) {
      if (!(err instanceof ProphetError)) throw err;
      outcome.error = err.message;
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

function none(direction: 'pull' | 'push'): ProphetError {
  return new ProphetError(`no replicas are configured to ${direction} ${direction === 'pull' ? 'from' : 'to'}: add one with 'config replica.NAME.url URL'`, 'usage');
}

/** Every replica of a direction, or the error naming those that failed (with the others' reports). */
async function all(replica: Replica, direction: 'pull' | 'push', opts: SyncOptions): Promise<MergeReport[]> {
  const outcomes = await eachReplica(replica, direction, opts);
  if (!outcomes.length) throw none(direction);
  const reports = outcomes.flatMap((o) => (o.report ? [o.report] : []));
  const failures = outcomes.flatMap((o) => (o.error === undefined ? [] : [{ source: o.url, error: o.error }]));
  if (failures.length) throw new AllReplicasError(reports, failures, direction === 'pull' ? 'pull from' : 'push to');
  return reports;
}

/** Pulls from every configured replica in turn. */
export function pullAll(target: Replica, opts: SyncOptions = {}): Promise<MergeReport[]> {
  return all(target, 'pull', opts);
}

/** Pushes to every configured replica in turn. */
export function pushAll(source: Replica, opts: SyncOptions = {}): Promise<MergeReport[]> {
  return all(source, 'push', opts);
}

/**
 * Pulls from every configured replica, then pushes to every one: what one
 * pulled reaches the others in the same run. A replica that failed is in
 * the outcomes with its error; the others were synced all the same.
 */
export async function syncAll(replica: Replica, opts: SyncOptions = {}): Promise<ReplicaOutcome[]> {
  const outcomes = [...(await eachReplica(replica, 'pull', opts)), ...(await eachReplica(replica, 'push', opts))];
  if (!outcomes.length) throw none('pull');
  return outcomes;
}
