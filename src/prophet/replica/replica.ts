import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { changesetId, nowTimestamp, serializeChangeset } from '../model/changeset.js';
import { ProphetError } from '../model/errors.js';
import type { Change, Changeset, ChangesetContent, PropChange, Properties, RecordState } from '../model/types.js';
import { isLuid, isUuid, isUuidPrefix, newUuid } from '../model/uuid.js';
import { describeFsError } from '../store/disk-errors.js';
import { describeSqliteError, openDatabase, removeDatabase } from '../store/open-database.js';
import { busyTimeoutFrom } from '../store/write-transaction.js';
import type { SchemaUpgradeListener, TablePrefix } from '../store/schema.js';
import { SqliteStorage } from '../store/sqlite-storage.js';
import type { ReplicaStorage } from '../store/storage.js';
import { type ChangesetRow, type ExpectedReads, type RecordRow, type Store } from '../store/store.js';
import { EXISTENCE, type Head } from '../model/write-state.js';
import { ChangesetApplier, type AppliedChangeset } from './apply.js';
import { Config, identityFrom } from './config.js';
import { Edit } from './edit.js';
import { refuseUnfinishedClone } from './clone-staging.js';
import { keyRecordChange, keyRecordUuid } from './key-record.js';
import { signingEnabled, UserKeys, type SigningKey } from './keys.js';
import type { RecordTypeDefinition } from './record-types.js';

export const DB_FILE = 'db.sqlite';

/** A database setting: a synced record with a fixed uuid holding a JSON value. */
export interface SettingDefinition {
  uuid: string;
  default: unknown;
  description?: string;
}

/** What an application built on Prophet declares. */
export interface AppDefinition {
  /** Names the config files (~/.<name>rc) and environment variables. */
  name: string;
  recordTypes?: RecordTypeDefinition[];
  settings?: Record<string, SettingDefinition>;
}

export const GENERIC_APP: AppDefinition = { name: 'prophet' };

export interface OpenOptions {
  app?: AppDefinition;
  env?: NodeJS.ProcessEnv;
  /** Told when the replica's file is first opened by a release with a newer schema, before it is migrated. */
  onUpgrade?: SchemaUpgradeListener;
}

export interface InitOptions extends OpenOptions {
  databaseUuid?: string;
  resdbDatabaseUuid?: string;
  /** Skip creating the app's default settings (a clone receives them by sync). */
  withoutSettings?: boolean;
}

/** Gives new storage its two identities, checked under the write lock: another process may be making a replica there too. */
function stampIdentity(storage: ReplicaStorage, opts: InitOptions): void {
  const main = storage.store('main_');
  main.transaction(() => {
    if (main.getMeta('replica-uuid')) throw new ProphetError(`a replica already exists at ${storage.location}`, 'exists');
    const stamp = (store: Store, databaseUuid: string) => {
      store.setMeta('database-uuid', databaseUuid.toLowerCase());
      store.setMeta('replica-uuid', newUuid());
    };
    stamp(main, opts.databaseUuid ?? newUuid());
    stamp(storage.store('res_'), opts.resdbDatabaseUuid ?? newUuid());
  });
}

function rowToChangeset(row: ChangesetRow): Changeset {
  const content = JSON.parse(row.body) as ChangesetContent;
  for (const change of Object.values(content.changes)) {
    change.pred ??= [];
    for (const pc of Object.values(change.prop_changes)) pc.pred ??= [];
  }
  return { ...content, sequence_no: row.seq, hash: row.hash, ...(row.signature ? { signature: row.signature } : {}) };
}

const STORES = new WeakMap<Replica, Store>();

/**
 * The storage engine behind a replica, for the replica layer's own modules
 * (history, search, settings, undo). Everything above this layer reads
 * and writes through the Replica's methods.
 */
export function storeOf(replica: Replica): Store {
  return STORES.get(replica)!;
}

/** Local, never-synced key/values of one subsystem (the conflict journal, server tokens...), kept apart by a key prefix. */
export interface Metadata {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Every key (without the namespace) and value, in key order. */
  entries(): Array<[string, string]>;
}

/**
 * A database handle: one replica, on disk or in a hub's database. Records,
 * edits, the log and its history, local ids, metadata and configuration.
 * Its resolution database is a second Replica over the same storage.
 */
export class Replica {
  private readonly store: Store;
  readonly uuid: string;
  readonly databaseUuid: string;
  private readonly typeDefinitions = new Map<string, RecordTypeDefinition>();
  private cachedConfig?: Config;
  private resolutionReplica?: Replica;
  /** The main replica of a resolution database (whose records and trust settings its changesets answer to). */
  private main?: Replica;
  /** The user's signing keys, from the configuration directory of this replica's environment. */
  readonly userKeys: UserKeys;

  /** Where the replica is: its directory, or its hub database's URL without the password. */
  readonly root: string;

  private constructor(
    private readonly storage: ReplicaStorage,
    private readonly prefix: TablePrefix,
    readonly app: AppDefinition,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.root = storage.location;
    this.store = storage.store(prefix);
    STORES.set(this, this.store);
    const uuid = this.store.getMeta('replica-uuid');
    const databaseUuid = this.store.getMeta('database-uuid');
    if (!uuid || !databaseUuid) throw new ProphetError(`${this.root} is not a prophet replica (its database has no identity)`, 'not-replica');
    this.uuid = uuid;
    this.databaseUuid = databaseUuid;
    this.userKeys = new UserKeys(env);
    for (const def of app.recordTypes ?? []) this.typeDefinitions.set(def.type, def);
    // An app that names no sources (the generic one) keeps those in the file, so the index stays whole whoever writes.
    const sources = (app.recordTypes ?? []).flatMap((def) => (def.textFrom ?? []).map((from) => ({ owner: def.type, ...from })));
    if (sources.length) this.store.useTextSources(sources);
  }

  static exists(root: string): boolean {
    return existsSync(join(root, DB_FILE));
  }

  /** Creates a new replica at `root` (the directory may exist but must hold no replica). */
  static init(root: string, opts: InitOptions = {}): Replica {
    root = resolve(root);
    if (Replica.exists(root)) throw new ProphetError(`a replica already exists at ${root}`, 'exists');
    const parent = resolve(root, '..');
    if (!existsSync(parent)) throw new ProphetError(`cannot create a replica at ${root}: ${parent} does not exist`, 'io');
    try {
      // Not recursive (the parent exists): Node's recursive mkdir reports a read-only disk as ENOENT.
      if (!existsSync(root)) mkdirSync(root);
    } catch (err) {
      throw describeFsError(err, root, 'create a replica there');
    }
    const mode = new Config(opts.app?.name ?? GENERIC_APP.name, undefined, opts.env).newFileMode();
    const db = openDatabase(join(root, DB_FILE), { create: true, mode, busyTimeoutMs: busyTimeoutFrom(opts.env) });
    const storage = new SqliteStorage(db, root, DB_FILE);
    try {
      stampIdentity(storage, opts);
    } catch (err) {
      db.close();
      // Another process that made a replica here first keeps it; anything else leaves nothing behind.
      if (err instanceof ProphetError && err.code === 'exists') throw err;
      removeDatabase(join(root, DB_FILE));
      throw describeSqliteError(err, join(root, DB_FILE));
    }
    try {
      return Replica.finishInit(storage, opts);
    } catch (err) {
      removeDatabase(join(root, DB_FILE));
      throw describeSqliteError(err, join(root, DB_FILE));
    }
  }

  /** Makes a new replica in storage that holds none yet (a hub's empty database); closed with it, or on failure. */
  static initIn(storage: ReplicaStorage, opts: InitOptions = {}): Replica {
    try {
      stampIdentity(storage, opts);
    } catch (err) {
      storage.close();
      throw err;
    }
    return Replica.finishInit(storage, opts);
  }

  private static finishInit(storage: ReplicaStorage, opts: InitOptions): Replica {
    const replica = new Replica(storage, 'main_', opts.app ?? GENERIC_APP, opts.env ?? process.env);
    try {
      if (!opts.withoutSettings) replica.createDefaultSettings();
      // A replica that exists after init returns exists after a power loss too.
      replica.makeDurable();
      return replica;
    } catch (err) {
      replica.close();
      throw err;
    }
  }

  static open(root: string, opts: OpenOptions = {}): Replica {
    root = resolve(root);
    if (!existsSync(root)) throw new ProphetError(`no replica at ${root}: the directory does not exist; create one with 'init'`, 'not-replica');
    if (!statSync(root).isDirectory()) throw new ProphetError(`no replica at ${root}: it is a file, not a directory`, 'not-replica');
    refuseUnfinishedClone(root);
    if (!Replica.exists(root)) throw new ProphetError(`${root} is not a prophet replica (it has no ${DB_FILE}); create one with 'init'`, 'not-replica');
    const db = openDatabase(join(root, DB_FILE), { create: false, busyTimeoutMs: busyTimeoutFrom(opts.env), onUpgrade: opts.onUpgrade });
    return Replica.openIn(new SqliteStorage(db, root, DB_FILE), opts);
  }

  /** The replica held in `storage`; closed with it. */
  static openIn(storage: ReplicaStorage, opts: OpenOptions = {}): Replica {
    try {
      return new Replica(storage, 'main_', opts.app ?? GENERIC_APP, opts.env ?? process.env);
    } catch (err) {
      storage.close();
      throw err;
    }
  }

  close(): void {
    this.storage.close();
  }

  /**
   * Skips fsyncs: only for building a replica nobody can see yet (a clone
   * in a staging directory), where a crash loses nothing that matters.
   */
  skipSyncs(): void {
    this.storage.skipSyncs();
  }

  /** Flushes everything to disk and returns to the normal, crash-safe setting. */
  makeDurable(): void {
    this.storage.makeDurable();
  }

  /** What holds the replica: its engine and its SQLite file or database URL (without the password). */
  get storedIn(): { engine: ReplicaStorage['engine']; database: string } {
    return { engine: this.storage.engine, database: this.storage.database };
  }

  /** Whether this is a replica's resolution database (which has none of its own). */
  get isResolutionDatabase(): boolean {
    return this.prefix === 'res_';
  }

  /** The resolution database: the synced record of every conflict decision. */
  get resdb(): Replica {
    if (this.isResolutionDatabase) throw new ProphetError('a resolution database has no resolution database', 'internal');
    if (!this.resolutionReplica) {
      this.resolutionReplica = new Replica(this.storage, 'res_', { name: this.app.name }, this.env);
      this.resolutionReplica.main = this;
    }
    return this.resolutionReplica;
  }

  /** The replica itself, or for a resolution database the replica it belongs to. */
  get mainReplica(): Replica {
    return this.main ?? this;
  }

  get config(): Config {
    this.cachedConfig ??= new Config(this.app.name, this.storage.directory, this.env);
    return this.cachedConfig;
  }

  /** The email recorded as the creator of new changesets. */
  identity(): string | undefined {
    return identityFrom(this.config, this.env);
  }

  requireIdentity(): string {
    const who = this.identity();
    if (!who) {
      throw new ProphetError(
        `no identity to record on your changes: run '${this.app.name} config user.email-address you@example.com' or set PROPHET_EMAIL`,
        'identity',
      );
    }
    return who;
  }

  registerType(def: RecordTypeDefinition): void {
    this.typeDefinitions.set(def.type, def);
  }

  recordTypeDefinition(type: string): RecordTypeDefinition | undefined {
    return this.typeDefinitions.get(type);
  }

  /** Tells the store what the next transaction will read, if its engine gains by knowing (Store.expect): `reads` is made only then. */
  expectReads(reads: () => ExpectedReads): void {
    this.store.expect?.(reads());
  }

  transaction<T>(fn: () => T): T {
    try {
      return this.store.transaction(fn);
    } catch (err) {
      throw this.storage.describeError(err);
    }
  }

  // ---- edits ----------------------------------------------------------

  /**
   * Runs `fn` to gather operations and commits them as one changeset in one
   * transaction. Returns the changeset, or undefined when nothing changed.
   */
  edit(fn: (e: Edit) => void, opts: { creator?: string | null; isResolution?: boolean; resolves?: Record<string, string> } = {}): Changeset | undefined {
    return this.transaction(() => {
      const creator = opts.creator === undefined ? this.requireIdentity() : opts.creator;
      const e = new Edit({
        replica: this,
        recordTypeDefinition: (t) => this.typeDefinitions.get(t),
        creationDefaults: { creator: creator ?? undefined, original_replica: this.uuid },
        lookup: (uuid) => {
          const r = this.store.recordByUuid(uuid);
          return r && { type: r.type, live: r.live, props: r.props };
        },
      });
      fn(e);
      return this.commit(e, creator, opts);
    });
  }

  private commit(e: Edit, creator: string | null, opts: { isResolution?: boolean; resolves?: Record<string, string> }): Changeset | undefined {
    const applier = new ChangesetApplier(this.store);
    const changes: Record<string, Change> = {};
    for (const [uuid, p] of e.pending) {
      const heads = (p.fresh ? undefined : this.store.recordWithHeads(uuid))?.heads ?? {};
      // A write names every head it saw: over a standing conflict, that makes it the resolution.
      const headIds = (name: string) => (heads[name] ?? []).map((h) => applier.globalHead(h.id).id);
      const prop_changes: Record<string, PropChange> = {};
      for (const [name, value] of Object.entries(p.writes)) {
        const old = p.before[name] ?? null;
        const conflicted = (heads[name]?.length ?? 0) > 1;
        if (old === value && !conflicted) continue;
        prop_changes[name] = { old_value: old, new_value: value, pred: headIds(name) };
      }
      let change_type: Change['change_type'];
      if (!p.existed && p.live) change_type = 'add';
      else if (p.existed && !p.live) change_type = 'delete';
      else if (p.existed && p.live) change_type = 'update';
      else continue;
      if (change_type === 'update' && Object.keys(prop_changes).length === 0) continue;
      changes[uuid] = {
        record_type: p.type,
        change_type,
        pred: headIds(EXISTENCE),
        prop_changes,
        ...(opts.resolves?.[uuid] ? { resolves: opts.resolves[uuid] } : {}),
      };
    }
    if (Object.keys(changes).length === 0) return undefined;
    const key = this.signingKeyFor(creator);
    // A key's first changeset in a database announces it, so peers learn the key with what it signed.
    if (key && !this.isResolutionDatabase && !this.holdsKeyRecord(key.fingerprint)) changes[keyRecordUuid(key.fingerprint)] = keyRecordChange(key);
    const content: ChangesetContent = {
      original_source_uuid: this.uuid,
      original_sequence_no: this.store.latestSeq() + 1,
      creator,
      created: nowTimestamp(),
      is_nullification: false,
      is_resolution: !!opts.isResolution,
      changes,
    };
    const body = serializeChangeset(content);
    const signature = key?.sign(body);
    const applied = applier.apply(content, body, undefined, signature);
    return { ...content, sequence_no: applied.seq, hash: applied.hash, ...(signature ? { signature } : {}) };
  }

  /**
   * Whether the replica holds a key's record. Remembered once seen (a
   * record is never removed), never before: an announcement in a
   * transaction that rolls back must be made again.
   */
  private holdsKeyRecord(fingerprint: string): boolean {
    if (this.announcedKeys.has(fingerprint)) return true;
    if (!this.store.recordByUuid(keyRecordUuid(fingerprint))) return false;
    this.announcedKeys.add(fingerprint);
    return true;
  }

  private readonly announcedKeys = new Set<string>();

  /** Whether changes made here are signed: on unless PROPHET_SIGNING=off or config `user.signing = false`. */
  get signing(): boolean {
    return signingEnabled(this.config, this.env);
  }

  /** The key that signs `creator`'s changes, made on first need; none when signing is off or there is no creator to vouch for. */
  private signingKeyFor(creator: string | null): SigningKey | undefined {
    if (!creator || !this.signing) return undefined;
    return this.userKeys.currentOrNew(creator);
  }

  /** Appends a changeset (local or from a peer) and folds it into the records. The caller holds the transaction. */
  applyContent(content: ChangesetContent, applier = new ChangesetApplier(this.store)): AppliedChangeset {
    return applier.apply(content, serializeChangeset(content));
  }

  create(type: string, props: Record<string, string | null>): { uuid: string; luid: number } {
    let uuid = '';
    this.edit((e) => {
      uuid = e.create(type, props);
    });
    return { uuid, luid: this.store.recordByUuid(uuid)!.luid };
  }

  /** Returns whether anything changed. */
  update(type: string, id: string, props: Record<string, string | null>): boolean {
    const record = this.resolve(id, type);
    return this.edit((e) => e.update(type, record.uuid, props)) !== undefined;
  }

  delete(type: string, id: string): string {
    const record = this.resolve(id, type);
    this.edit((e) => e.delete(type, record.uuid));
    return record.uuid;
  }

  // ---- reading ---------------------------------------------------------

  /**
   * Finds a live record from what a user typed: a local id, a uuid, or an
   * unambiguous uuid prefix. With `type`, a record of another type is not found.
   */
  resolve(id: string, type?: string, opts: { includeDeleted?: boolean } = {}): RecordRow {
    const what = type ? `${type}` : 'record';
    const text = id.trim();
    let row: RecordRow | undefined;
    if (isLuid(text)) {
      row = this.store.recordByLuid(Number(text));
      if (!row) throw new ProphetError(`no ${what} has the local id ${text}`, 'not-found');
    } else if (isUuid(text)) {
      row = this.store.recordByUuid(text.toLowerCase());
    } else if (isUuidPrefix(text)) {
      const matches = this.store.uuidsWithPrefix(text.toLowerCase(), 6).map((u) => this.store.recordByUuid(u)!)
        .filter((r) => (opts.includeDeleted || r.live) && (!type || r.type === type));
      if (matches.length > 1) {
        throw new ProphetError(`'${text}' is ambiguous: it starts ${matches.length > 5 ? 'more than five' : matches.length} uuids (${matches.slice(0, 5).map((m) => m.uuid).join(', ')}); type more of it`, 'ambiguous');
      }
      row = matches[0];
    } else {
      throw new ProphetError(`'${text}' is not a record id (expected a local id number, a uuid or the start of one)`, 'usage');
    }
    if (!row || (!row.live && !opts.includeDeleted)) throw new ProphetError(`no ${what} with id '${text}'`, 'not-found');
    if (type && row.type !== type) throw new ProphetError(`no ${type} with id '${text}' (it is a '${row.type}')`, 'not-found');
    return row;
  }

  get(id: string, type?: string): RecordState {
    const { luid, uuid, type: t, props } = this.resolve(id, type);
    return { luid, uuid, type: t, props };
  }

  /** The properties whose writes are concurrent and unresolved on this record. */
  conflictedProperties(uuid: string): string[] {
    const r = this.store.recordByUuid(uuid);
    return r ? this.store.conflictedProps(r.luid).filter((n) => n !== EXISTENCE) : [];
  }

  types(): string[] {
    return this.store.liveTypes();
  }

  latestSequenceNo(): number {
    return this.store.latestSeq();
  }

  changeset(seq: number): Changeset | undefined {
    const row = this.store.changesetBySeq(seq);
    return row && rowToChangeset(row);
  }

  /** Changesets from `from` to `to` (inclusive), oldest first, read lazily. */
  *changesets(from = 1, to = this.store.latestSeq()): Generator<Changeset> {
    for (const row of this.store.changesetsBetween(from, to)) yield rowToChangeset(row);
  }

  /** One changeset exactly as stored: its body, hash and signature. */
  rawChangeset(seq: number): ChangesetRow | undefined {
    return this.store.changesetBySeq(seq);
  }

  /** The serialised body and hash of a changeset, exactly as stored, for sending to a peer. */
  *rawChangesets(from: number, to = this.store.latestSeq()): Generator<ChangesetRow> {
    yield* this.store.changesetsBetween(from, to);
  }

  changesetGlobalId(seq: number): string | undefined {
    const row = this.store.changesetBySeq(seq);
    return row && changesetId(row.origin_uuid, row.origin_seq);
  }

  /** A record by uuid whatever its state, deleted ones included. */
  findRecord(uuid: string): RecordRow | undefined {
    return this.store.recordByUuid(uuid);
  }

  /** Live records of a type, in local id order. */
  liveRecords(type: string): RecordRow[] {
    return this.store.liveRecords(type);
  }

  /**
   * The distinct values a property holds across the live records of a type
   * (the tickets that have comments, say), as the property index keeps
   * them: whole below INDEXED_CHARS characters (every UUID), cut to those above.
   */
  propertyValues(type: string, prop: string): string[] {
    return this.store.liveValues(type, prop);
  }

  countLive(type?: string): number {
    return this.store.countLive(type);
  }

  countChangesets(): number {
    return this.store.countChangesets();
  }

  /** The writes standing for a property (or EXISTENCE) of a record, the shown one first; several while a conflict stands. */
  heads(uuid: string, name: string, writer = this.changesetWriter()): Head[] {
    const row = this.store.recordByUuid(uuid);
    return row ? writer.toHeads(this.store.heads(row.luid, name)) : [];
  }

  // ---- merge bookkeeping ---------------------------------------------------

  /** How far this replica has read another replica's log (and seen its own changesets). */
  mergeTicket(replicaUuid: string): number {
    return this.store.getMergeTicket(replicaUuid);
  }

  /** This replica's ticket for one log and its resolution database's for another, read together (one round trip on a hub). */
  mergeTicketsFor(logs: { replica: string; resolutions?: string }): { replica: number; resolutions: number } {
    const asks = [{ prefix: this.prefix, replicaUuid: logs.replica }, ...(logs.resolutions ? [{ prefix: this.resdb.prefix, replicaUuid: logs.resolutions }] : [])];
    const [replica = 0, resolutions = 0] = this.storage.mergeTickets(asks);
    return { replica, resolutions };
  }

  setMergeTicket(replicaUuid: string, seq: number): void {
    this.store.setMergeTicket(replicaUuid, seq);
  }

  mergeTickets(): Array<[string, number]> {
    return this.store.allMergeTickets();
  }

  /** Writes changesets from a peer into the log and the records; the caller holds the transaction. */
  changesetWriter(): ChangesetApplier {
    return new ChangesetApplier(this.store);
  }

  /**
   * Stops keeping the search index for a bulk load into an empty replica
   * (a clone); `endBulkLoad`, or the next open after a load cut short,
   * rebuilds it in one pass.
   */
  beginBulkLoad(): void {
    this.store.suspendIndexes();
  }

  endBulkLoad(): void {
    this.store.restoreIndexes();
  }

  /**
   * Local metadata of one subsystem: keys are kept under `namespace`, never
   * synced. `readOften`: read at every request and written seldom, so a
   * hub's process may keep what it read until a write commits (Store.getMeta).
   */
  metadata(namespace: string, opts: { readOften?: boolean } = {}): Metadata {
    const store = this.store;
    const ns = namespace.toLowerCase();
    return {
      get: (key) => store.getMeta(ns + key, opts.readOften),
      set: (key, value) => store.setMeta(ns + key, value),
      delete: (key) => store.deleteMeta(ns + key),
      entries: () => store.allMeta().filter(([k]) => k.startsWith(ns)).map(([k, v]): [string, string] => [k.slice(ns.length), v]),
    };
  }

  // ---- settings ---------------------------------------------------------

  private createDefaultSettings(): void {
    const settings = Object.entries(this.app.settings ?? {});
    if (!settings.length) return;
    this.edit(
      (e) => {
        for (const [label, def] of settings) {
          e.create(SETTINGS_TYPE, { label, content: JSON.stringify(def.default) }, { uuid: def.uuid, raw: true });
        }
      },
      { creator: this.identity() ?? null },
    );
  }
}

/** The record type of database settings. */
export const SETTINGS_TYPE = '__prophet_db_settings';

export type { Edit, Properties };
