/**
 * The randomized sync arena (reference 6.2, variant c): N replicas make
 * random creates, updates (often identical ones, from a small alphabet),
 * deletes, pulls and pushes with random resolvers, then sync all pairs
 * until a round changes nothing. It checks that the rounds end, and that
 * every replica then holds identical records and votes.
 *
 * A run is a recipe: a plain list of steps naming records symbolically, so
 * a failing one can be saved, replayed and shrunk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../src/prophet/model/canonical-json.js';
import { ProphetError } from '../../src/prophet/model/errors.js';
import { isConflicted } from '../../src/prophet/model/write-state.js';
import { KeyRing } from '../../src/prophet/replica/key-ring.js';
import { Replica } from '../../src/prophet/replica/replica.js';
import type { Preference } from '../../src/prophet/sync/conflict.js';
import { merge } from '../../src/prophet/sync/merge.js';
import { LocalReplicaSource } from '../../src/prophet/transports/local-source.js';
import { seededRandom } from '../helpers/seeded-random.js';

export type Step =
  | { op: 'create'; who: number; ref: number }
  | { op: 'update'; who: number; ref: number; props: Record<string, string | null> }
  | { op: 'delete'; who: number; ref: number }
  /** `from` merged into `to`: a pull by `to`, or a push by `from`. No `prefer`: a conflict no vote settles fails the merge. */
  | { op: 'merge'; from: number; to: number; prefer?: Preference };

export interface Recipe {
  seed: number;
  replicas: number;
  steps: Step[];
}

export interface ArenaResult {
  ok: boolean;
  failure?: string;
  /** All-pairs rounds until one changed nothing. */
  rounds: number;
  /** Conflicts met, by how they were settled, and merges that failed for want of a resolver: what the run exercised. */
  settled: Record<string, number>;
}

const TYPE = 'Scratch';
const KEYS = ['1', '2', '3', '4', '5'];
const LETTERS = ['A', 'B', 'C', 'D', 'E'];
const MAX_ROUNDS = 12;

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function preference(rand: () => number): Preference | undefined {
  const r = rand();
  return r < 0.45 ? 'source' : r < 0.9 ? 'target' : undefined;
}

/** Ten rounds of random actions after a round of creates, like the original's schedule. */
export function generate(seed: number): Recipe {
  const rand = seededRandom(seed);
  const replicas = 3 + Math.floor(rand() * 5);
  const steps: Step[] = [];
  let refs = 0;
  for (let who = 0; who < replicas; who++) steps.push({ op: 'create', who, ref: refs++ });
  for (let round = 0; round < 10; round++) {
    for (let who = 0; who < replicas; who++) {
      const r = rand() * 11;
      if (r < 2) steps.push({ op: 'create', who, ref: refs++ });
      else if (r < 3) steps.push({ op: 'delete', who, ref: Math.floor(rand() * refs) });
      else if (r < 8) {
        const props: Record<string, string | null> = {};
        const n = 1 + Math.floor(rand() * 3);
        for (let i = 0; i < n; i++) props[pick(rand, KEYS)] = rand() < 0.1 ? null : pick(rand, LETTERS);
        steps.push({ op: 'update', who, ref: Math.floor(rand() * refs), props });
      } else if (r < 10) {
        let other = Math.floor(rand() * (replicas - 1));
        if (other >= who) other++;
        // Half pulls, half pushes.
        steps.push(rand() < 0.5 ? { op: 'merge', from: other, to: who, prefer: preference(rand) } : { op: 'merge', from: who, to: other, prefer: preference(rand) });
      }
    }
  }
  return { seed, replicas, steps };
}

type Snapshot = Record<string, Record<string, string>>;

function snapshot(replica: Replica): Snapshot {
  const out: Snapshot = {};
  for (const type of replica.types()) for (const r of replica.liveRecords(type)) out[`${type}/${r.uuid}`] = r.props;
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

class Arena {
  readonly dir = mkdtempSync(join(tmpdir(), 'prophet-arena-'));
  readonly replicas: Replica[] = [];
  /** Symbolic record → uuid, once created somewhere. */
  readonly uuids = new Map<number, string>();
  readonly settled: Record<string, number> = {};

  async setUp(n: number): Promise<void> {
    const first = Replica.init(join(this.dir, 'p0'), { env: this.env(0) });
    this.replicas.push(first);
    for (let i = 1; i < n; i++) {
      const r = Replica.init(join(this.dir, `p${i}`), { env: this.env(i), databaseUuid: first.databaseUuid, resdbDatabaseUuid: first.resdb.databaseUuid, withoutSettings: true });
      this.replicas.push(r);
    }
  }

  /** Each person has a HOME of their own, where signing makes their key: every change in the arena is signed. */
  private env(i: number): NodeJS.ProcessEnv {
    return { HOME: join(this.dir, `home${i}`), PROPHET_EMAIL: `person${i}@example.com` };
  }

  async merge(from: number, to: number, prefer?: Preference): Promise<void> {
    const target = this.replicas[to]!;
    const before = [target.latestSequenceNo(), target.resdb.latestSequenceNo()];
    try {
      const report = await merge(LocalReplicaSource.of(this.replicas[from]!), target, { prefer });
      for (const c of report.conflicts) this.settled[c.how] = (this.settled[c.how] ?? 0) + 1;
    } catch (err) {
      // Without a preference an undecided conflict fails by design; it must leave both of the target's databases as they were.
      if (!(err instanceof ProphetError && err.code === 'conflict')) throw err;
      this.settled.unresolved = (this.settled.unresolved ?? 0) + 1;
      if (target.latestSequenceNo() !== before[0]) throw new Error(`a failed merge into p${to} wrote to it`);
      if (target.resdb.latestSequenceNo() !== before[1]) throw new Error(`a failed merge into p${to} imported the source's votes`);
    }
  }

  async run(step: Step): Promise<void> {
    if (step.op === 'merge') return this.merge(step.from, step.to, step.prefer);
    const replica = this.replicas[step.who]!;
    if (step.op === 'create') {
      const uuid = this.uuids.get(step.ref);
      // A shrunk recipe may create a record that another replica created first: then it is the same-uuid create conflict.
      if (uuid && replica.findRecord(uuid)?.live) return;
      const props = Object.fromEntries(KEYS.map((k, i) => [k, LETTERS[i]!]));
      replica.edit((e) => this.uuids.set(step.ref, e.create(TYPE, props, uuid ? { uuid, raw: true } : { raw: true })));
      return;
    }
    const uuid = this.uuids.get(step.ref);
    if (!uuid || !replica.findRecord(uuid)?.live) return;
    if (step.op === 'delete') replica.edit((e) => e.delete(TYPE, uuid));
    else replica.edit((e) => e.update(TYPE, uuid, step.props, { raw: true }));
  }

  private size(): number {
    return this.replicas.reduce((n, r) => n + r.latestSequenceNo() + r.resdb.latestSequenceNo(), 0);
  }

  /** One all-pairs round in a shuffled order; returns whether anything was written. */
  async round(rand: () => number): Promise<boolean> {
    const before = this.size();
    const pairs: Array<[number, number]> = [];
    for (let a = 0; a < this.replicas.length; a++) for (let b = 0; b < this.replicas.length; b++) if (a !== b) pairs.push([a, b]);
    for (let i = pairs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
    }
    for (const [from, to] of pairs) await this.merge(from, to, rand() < 0.5 ? 'source' : 'target');
    return this.size() !== before;
  }

  /** A live record whose property still has disagreeing writes once everyone has everything: a conflict nobody settled. */
  unsettled(): string | undefined {
    for (const [i, r] of this.replicas.entries()) {
      for (const type of r.types()) {
        for (const record of r.liveRecords(type)) {
          for (const name of r.conflictedProperties(record.uuid)) {
            if (isConflicted(r.heads(record.uuid, name))) return `p${i} holds an unsettled conflict on ${record.uuid} '${name}'`;
          }
        }
      }
    }
    return undefined;
  }

  /** A change that is not signed by its author's key where it arrived: signatures must survive every merge, and resolutions and votes are signed too. */
  unverified(): string | undefined {
    for (const [i, r] of this.replicas.entries()) {
      const keys = new KeyRing(r);
      for (const log of [r, r.resdb]) {
        for (const cs of log.changesets()) {
          if (cs.is_nullification) continue;
          const check = keys.checkStored(cs, log);
          if (check.status !== 'verified') return `p${i} holds changeset ${cs.original_sequence_no}@${cs.original_source_uuid} by ${cs.creator} marked ${check.status}`;
        }
      }
    }
    return undefined;
  }

  divergence(): string | undefined {
    const [first, ...rest] = this.replicas.map((r) => ({ main: snapshot(r), votes: snapshot(r.resdb) }));
    for (const [i, s] of rest.entries()) {
      if (!sameJson(s.main, first!.main)) return `p${i + 1} holds different records from p0`;
      if (!sameJson(s.votes, first!.votes)) return `p${i + 1} holds different resolution records from p0`;
    }
    return undefined;
  }

  close(): void {
    for (const r of this.replicas) r.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Plays a recipe, then syncs all pairs until quiet, and checks that every replica agrees. */
export async function play(recipe: Recipe): Promise<ArenaResult> {
  const arena = new Arena();
  let rounds = 0;
  try {
    await arena.setUp(recipe.replicas);
    // Everyone starts from the same (empty) database; the recipe's steps do the rest.
    for (const step of recipe.steps) await arena.run(step);
    const rand = seededRandom(recipe.seed ^ 0x5eed);
    while (await arena.round(rand)) {
      rounds++;
      if (rounds >= MAX_ROUNDS) return { ok: false, failure: `still changing after ${MAX_ROUNDS} all-pairs rounds`, rounds, settled: arena.settled };
    }
    rounds++;
    const divergence = arena.divergence() ?? arena.unsettled() ?? arena.unverified();
    return { ok: !divergence, failure: divergence, rounds, settled: arena.settled };
  } catch (err) {
    return { ok: false, failure: `${(err as Error).name}: ${(err as Error).message}`, rounds, settled: arena.settled };
  } finally {
    arena.close();
  }
}

/**
 * Delta debugging: drops ever smaller runs of steps while the recipe still
 * fails, down to single steps, until no step can go.
 */
export async function shrink(recipe: Recipe, log: (msg: string) => void = () => {}): Promise<Recipe> {
  let current = recipe;
  let chunk = Math.max(1, Math.floor(current.steps.length / 2));
  while (chunk >= 1) {
    let removed = false;
    for (let start = current.steps.length - chunk; start >= 0; start -= chunk) {
      const candidate = { ...current, steps: [...current.steps.slice(0, start), ...current.steps.slice(start + chunk)] };
      if (!(await play(candidate)).ok) {
        current = candidate;
        removed = true;
        log(`shrunk to ${current.steps.length} steps`);
      }
    }
    if (!removed) chunk = Math.floor(chunk / 2);
    else chunk = Math.min(chunk, Math.max(1, Math.floor(current.steps.length / 2)));
  }
  return current;
}
