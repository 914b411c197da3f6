/**
 * The replicas a crash campaign starts every trial from, built once and
 * copied per trial: a source with `changesets` changesets, and its state
 * after the first `early` of them as a clone and as a publication. Every
 * operation under test moves a copy from the early state to the full one.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import { cloneFromSource } from '../../src/prophet/replication/operations.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { seededRandom } from '../helpers/seeded-random.js';

export const TYPE = 'Bug';

/** What a replica's log and records come to at one point. */
export interface ReplicaState {
  latest: number;
  live: number;
}

export interface Scenario {
  /** The source replica, full. */
  source: string;
  /** A clone of the source taken at its early state. */
  earlyClone: string;
  /** A folder the source was published to at its early state. */
  earlyPublication: string;
  early: ReplicaState;
  full: ReplicaState;
  env: NodeJS.ProcessEnv;
}

export interface ScenarioSize {
  changesets: number;
  early: number;
}

/** Creates and updates, so a search by `kind` through the index can be checked against the records. */
function write(replica: Replica, count: number, rand: () => number): void {
  const uuids: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = replica.latestSequenceNo() + 1;
    const kind = rand() < 0.5 ? 'even' : 'odd';
    if (!uuids.length || rand() < 0.4) uuids.push(replica.create(TYPE, { summary: `bug ${n}`, kind, n: String(n) }).uuid);
    else replica.update(TYPE, uuids[Math.floor(rand() * uuids.length)]!, { kind, n: String(n) });
  }
}

function stateOf(replica: Replica): ReplicaState {
  return { latest: replica.latestSequenceNo(), live: replica.countLive(TYPE) };
}

export async function buildScenario(dir: string, size: ScenarioSize, seed: number): Promise<Scenario> {
  const env = { PATH: process.env.PATH, HOME: join(dir, 'home'), PROPHET_EMAIL: 'crash@example.com' };
  const rand = seededRandom(seed);
  mkdirSync(env.HOME, { recursive: true });
  const source = Replica.init(join(dir, 'source'), { env });
  write(source, size.early, rand);
  const early = stateOf(source);
  const earlyClone = join(dir, 'early-clone');
  (await cloneFromSource(LocalReplicaSource.of(source), earlyClone, { env })).replica.close();
  const earlyPublication = join(dir, 'early-publication');
  publishToDirectory(source, earlyPublication);
  write(source, size.changesets - size.early, rand);
  const full = stateOf(source);
  source.close();
  return { source: source.root, earlyClone, earlyPublication, early, full, env };
}

/** A private copy of a template replica or folder for one trial. */
export function copyOf(template: string, to: string): string {
  cpSync(template, to, { recursive: true });
  return to;
}
