/**
 * What a crash campaign checks of a replica a killed process was writing:
 * SQLite finds the file sound, it opens, its search index agrees with its
 * records, and its log stopped at a transaction boundary.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Replica } from '../../src/prophet/replica/replica.js';
import { search } from '../../src/prophet/replica/search.js';
import { TYPE, type ReplicaState } from './scenario.js';

/** A check that failed: the campaign reports it with the trial that found it. */
export class CrashCheckFailure extends Error {}

export function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new CrashCheckFailure(what);
}

/** A merge commits this many changesets per transaction: a kill may stop it between two. */
export const MERGE_BATCH = 2000;

export type Outcome = 'before' | 'after' | 'between';

/** Where a log stopped: before, after, or at a transaction boundary between them; anything else fails. */
export function classify(latest: number, before: ReplicaState, after: ReplicaState, what: string): Outcome {
  if (latest === before.latest) return 'before';
  if (latest === after.latest) return 'after';
  const done = latest - before.latest;
  check(done > 0 && done < after.latest - before.latest && done % MERGE_BATCH === 0, `${what} stopped at changeset ${latest}: neither before (${before.latest}), after (${after.latest}) nor a batch boundary`);
  return 'between';
}

/** Checks a replica on disk and returns its state. */
export function inspectReplica(root: string, env: NodeJS.ProcessEnv): ReplicaState {
  const db = new Database(join(root, 'db.sqlite'), { fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    check(integrity === 'ok', `${root}: integrity_check says ${String(integrity)}`);
  } finally {
    db.close();
  }
  const replica = Replica.open(root, { env });
  try {
    const state = { latest: replica.latestSequenceNo(), live: replica.countLive(TYPE) };
    check(replica.countChangesets() === state.latest, `${root}: its log has gaps`);
    const even = search(replica, TYPE, { criteria: [{ prop: 'kind', cmp: '=', value: 'even' }] }).length;
    const scanned = replica.liveRecords(TYPE).filter((r) => r.props.kind === 'even').length;
    check(even === scanned, `${root}: the search index finds ${even} records of kind 'even', the records hold ${scanned}`);
    return state;
  } finally {
    replica.close();
  }
}

/** Checks that a replica holds exactly `expected`. */
export function expectState(root: string, env: NodeJS.ProcessEnv, expected: ReplicaState, what: string): void {
  const state = inspectReplica(root, env);
  check(state.latest === expected.latest && state.live === expected.live, `${what}: ${JSON.stringify(state)}, expected ${JSON.stringify(expected)}`);
}
