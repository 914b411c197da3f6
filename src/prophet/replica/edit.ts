import { propertyNameProblem } from '../model/property-names.js';
import { ProphetError } from '../model/errors.js';
import type { Properties } from '../model/types.js';
import { newUuid } from '../model/uuid.js';
import { prepareChanges, type RecordTypeDefinition } from './record-types.js';
import type { Replica } from './replica.js';

/** One record's pending part of an edit. */
export interface PendingChange {
  type: string;
  /** Whether the record was live before the edit began. */
  existed: boolean;
  /** Whether it is live after the edit. */
  live: boolean;
  /** Its properties before the edit began. */
  before: Properties;
  /** Property writes so far: name → new value (null removes). */
  writes: Record<string, string | null>;
  /** Created here under a new random uuid: the store has never seen it. */
  fresh: boolean;
}

export interface EditHost {
  /** Given to the record types' hooks. */
  replica: Replica;
  recordTypeDefinition(type: string): RecordTypeDefinition | undefined;
  /** Properties every record gets at create unless given: who made it and where. */
  creationDefaults: Record<string, string | undefined>;
  /** The record's live state and properties now, outside the edit. */
  lookup(uuid: string): { type: string; live: boolean; props: Properties } | undefined;
}

/** Every write, whatever front end it came through, meets the same rule for property names. */
function checkNames(props: Record<string, unknown>): void {
  for (const name of Object.keys(props)) {
    const problem = propertyNameProblem(name);
    if (problem) throw new ProphetError(problem, 'usage');
  }
}

/**
 * Operations gathered for one changeset. Each operation runs the type's
 * hooks at once, so a validation error is raised where it was caused and
 * later operations see earlier ones.
 */
export class Edit {
  readonly pending = new Map<string, PendingChange>();

  constructor(private readonly host: EditHost) {}

  /** A record's properties as this edit leaves them, or undefined if it does not exist. */
  current(uuid: string): Properties | undefined {
    const p = this.pending.get(uuid);
    if (!p) {
      const r = this.host.lookup(uuid);
      return r?.live ? r.props : undefined;
    }
    if (!p.live) return undefined;
    const props = { ...p.before };
    for (const [k, v] of Object.entries(p.writes)) {
      if (v === null) delete props[k];
      else props[k] = v;
    }
    return props;
  }

  private entry(uuid: string, type: string, fresh = false): PendingChange {
    let p = this.pending.get(uuid);
    if (!p) {
      const r = fresh ? undefined : this.host.lookup(uuid);
      if (r && r.type !== type) throw new ProphetError(`record ${uuid} is a '${r.type}', not a '${type}'`, 'not-found');
      p = { type, existed: !!r?.live, live: !!r?.live, before: r?.props ?? {}, writes: {}, fresh };
      this.pending.set(uuid, p);
    }
    return p;
  }

  create(type: string, props: Record<string, string | null>, opts: { uuid?: string; raw?: boolean } = {}): string {
    if (!/^[^\s]+$/.test(type)) throw new ProphetError(`'${type}' is not a record type name (no spaces, not empty)`);
    checkNames(props);
    // A freshly generated random uuid cannot name an existing record; skip the lookups.
    const fresh = opts.uuid === undefined;
    const uuid = (opts.uuid ?? newUuid()).toLowerCase();
    if (!fresh && (this.pending.get(uuid)?.live || (!this.pending.has(uuid) && this.host.lookup(uuid)?.live))) {
      throw new ProphetError(`a record with uuid ${uuid} already exists`);
    }
    const def = opts.raw ? undefined : this.host.recordTypeDefinition(type);
    const given = { ...props };
    if (!opts.raw) {
      for (const [k, v] of Object.entries(this.host.creationDefaults)) if (v && !given[k]) given[k] = v;
    }
    const writes = prepareChanges(this.host.replica, def, 'create', type, {}, given, uuid);
    const p = this.entry(uuid, type, fresh);
    p.live = true;
    // A re-created record starts from nothing: clear what it held before.
    if (!fresh) for (const name of Object.keys(p.before)) if (!(name in writes)) p.writes[name] = null;
    for (const [k, v] of Object.entries(writes)) if (v !== null) p.writes[k] = v;
    return uuid;
  }

  /**
   * Returns whether anything changed. `rewrite` writes a value even when it
   * is the one shown: a conflict resolution that keeps the shown value must
   * still write it, so that it replaces every concurrent head.
   */
  update(type: string, uuid: string, props: Record<string, string | null>, opts: { raw?: boolean; rewrite?: boolean } = {}): boolean {
    const now = this.current(uuid);
    if (!now) throw new ProphetError(`there is no ${type} ${uuid}`, 'not-found');
    checkNames(props);
    const def = opts.raw ? undefined : this.host.recordTypeDefinition(type);
    const writes = prepareChanges(this.host.replica, def, 'update', type, now, props, uuid);
    const p = this.entry(uuid, type);
    let changed = false;
    for (const [k, v] of Object.entries(writes)) {
      if (!opts.rewrite && (now[k] ?? null) === v) continue;
      p.writes[k] = v;
      changed = true;
    }
    return changed;
  }

  delete(type: string, uuid: string): void {
    if (!this.current(uuid)) throw new ProphetError(`there is no ${type} ${uuid}`, 'not-found');
    this.entry(uuid, type).live = false;
  }

  /** Brings a deleted record back with the properties it had. */
  restore(type: string, uuid: string): void {
    const p = this.entry(uuid, type);
    if (p.live) throw new ProphetError(`${type} ${uuid} is not deleted`);
    p.live = true;
  }
}
