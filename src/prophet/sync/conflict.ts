/**
 * Conflicts as data, and the resolver chain as a pure function: a conflict
 * and the peers' earlier decisions in, a decision out. No I/O here, so every
 * rule can be tested exhaustively (test/sync/conflict.test.ts).
 */
import { canonicalJson } from '../model/canonical-json.js';
import { sha1Hex } from '../model/hash.js';
import { winningHead, type Head } from '../model/write-state.js';

/** Which replica's side a concurrent write is on, seen from the target of a merge. */
export type Side = 'target' | 'source';

export interface Candidate extends Head {
  /** `target`: the write was in the target before this merge; `source`: it arrived with it. */
  side: Side;
}

/** One property whose concurrent writes disagree. */
export interface PropertyConflict {
  name: string;
  heads: Candidate[];
}

/** The disagreeing properties of one record, as one decision to make. */
export interface Conflict {
  record_type: string;
  record_uuid: string;
  /** Sorted by name. */
  props: PropertyConflict[];
  fingerprint: string;
}

export type Value = string | null;

/** How a conflict was settled. */
export type ResolutionMethod =
  /** every concurrent write holds the same value: nothing to decide */
  | 'identical'
  /** the peers' recorded decisions for this fingerprint */
  | 'vote'
  /** `--prefer source|target` */
  | 'prefer'
  /** the user, asked on the terminal */
  | 'prompt'
  /** the write rule itself (a record's existence: live wins) */
  | 'rule'
  /** a later changeset from the source replaced the concurrent writes: the peer's own resolution */
  | 'peer';

export type Preference = Side;

/** One replica's recorded decision for a fingerprint (a resolution record in the resolution database). */
export interface Vote {
  /** The replica uuid of the resolution database that recorded it. */
  resolver: string;
  creator: string | null;
  values: Record<string, Value>;
}

export interface Decision {
  how: ResolutionMethod;
  values: Record<string, Value>;
  /** For votes: the resolution databases whose decision won. */
  decidedBy: string[];
}

/** The distinct values of concurrent writes, sorted (null, "absent", first). */
export function choicesOf(heads: readonly Head[]): Value[] {
  const distinct = [...new Set(heads.map((h) => h.value))];
  return distinct.sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
}

/**
 * The conflict's name: SHA-1 of canonical JSON of the record and, per
 * property sorted by name, the sorted distinct values. It names neither
 * side, so both replicas of a crossed pair compute the same one, and since
 * heads converge every replica does.
 */
export function fingerprintOf(record_type: string, record_uuid: string, props: ReadonlyArray<{ name: string; heads: readonly Head[] }>): string {
  const sorted = [...props].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha1Hex(canonicalJson({ record_type, record_uuid, props: sorted.map((p) => ({ name: p.name, choices: choicesOf(p.heads) })) }));
}

export function makeConflict(record_type: string, record_uuid: string, props: PropertyConflict[]): Conflict {
  const sorted = [...props].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { record_type, record_uuid, props: sorted, fingerprint: fingerprintOf(record_type, record_uuid, sorted) };
}

/** The value a side holds: its latest write, by the same rule that picks the shown value. */
export function sideValue(p: PropertyConflict, side: Side): Value {
  const own = p.heads.filter((h) => h.side === side);
  return winningHead(own.length ? own : p.heads)!.value;
}

/**
 * The peers' vote: decisions grouped by their values, the largest group
 * wins, and a tie goes to the group whose canonical JSON sorts first. The
 * tie-break is what settles crossed resolutions: once two replicas hold
 * the same votes, they decide the same, whatever each one prefers.
 * Votes naming a value that is not one of the choices are ignored.
 */
export function tallyVotes(conflict: Conflict, votes: readonly Vote[]): Decision | undefined {
  // Counted per resolving replica (one vote each); named by who decided, where known.
  const groups = new Map<string, { values: Record<string, Value>; voters: string[]; names: Set<string> }>();
  for (const vote of votes) {
    const values: Record<string, Value> = {};
    let valid = true;
    for (const p of conflict.props) {
      const v = vote.values[p.name] ?? null;
      if (!p.heads.some((h) => h.value === v)) valid = false;
      values[p.name] = v;
    }
    if (!valid) continue;
    const key = canonicalJson(values);
    const group = groups.get(key) ?? { values, voters: [], names: new Set<string>() };
    group.voters.push(vote.resolver);
    group.names.add(vote.creator ?? vote.resolver);
    groups.set(key, group);
  }
  let best: [string, { values: Record<string, Value>; voters: string[]; names: Set<string> }] | undefined;
  for (const entry of groups) {
    if (!best || entry[1].voters.length > best[1].voters.length || (entry[1].voters.length === best[1].voters.length && entry[0] < best[0])) {
      best = entry;
    }
  }
  return best && { how: 'vote', values: best[1].values, decidedBy: [...best[1].names].sort() };
}

export interface ResolverInput {
  votes: readonly Vote[];
  prefer?: Preference;
  /** Answers the user already gave, by fingerprint. */
  answers?: ReadonlyMap<string, Record<string, Value>>;
}

/**
 * The resolver chain after identical values are set aside: the peers' vote,
 * then the preference, then an answer from the user. Undefined means
 * nothing decided: the caller asks the user or fails.
 */
export function decide(conflict: Conflict, input: ResolverInput): Decision | undefined {
  const vote = tallyVotes(conflict, input.votes);
  if (vote) return vote;
  if (input.prefer) {
    const values: Record<string, Value> = {};
    for (const p of conflict.props) values[p.name] = sideValue(p, input.prefer);
    return { how: 'prefer', values, decidedBy: [] };
  }
  const answer = input.answers?.get(conflict.fingerprint);
  if (answer) return { how: 'prompt', values: answer, decidedBy: [] };
  return undefined;
}

/** One line naming what could not be decided, for the failure message. */
export function describeConflict(conflict: Conflict): string {
  const props = conflict.props.map((p) => `'${p.name}' (${choicesOf(p.heads).map((v) => (v === null ? '(unset)' : JSON.stringify(v))).join(' vs ')})`);
  return `${conflict.record_type} ${conflict.record_uuid}: ${props.join(', ')}`;
}
