/**
 * Clone, pull, push and merge between replica URLs, as library calls the
 * CLI (and any app) uses: name lookup in the config, the resolver from
 * flags or the environment, opening and closing both ends through the
 * scheme registry. This layer sits above both the merge engine and the
 * transports; it never talks to a terminal (the CLI passes a prompt).
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { createStaging, sweepStaleStaging } from '../replica/clone-staging.js';
import { DB_FILE, Replica, type AppDefinition } from '../replica/replica.js';
import { moveFileDurably } from '../store/atomic-file.js';
import type { ReplicaStorage } from '../store/storage.js';
import type { Preference } from '../sync/conflict.js';
import { readJournal, type ConflictReport } from '../sync/journal.js';
import { merge, type MergeOptions, type MergeReport } from '../sync/merge.js';
import type { ChangesetSource } from '../sync/source.js';
import type { ChangesetTarget } from '../sync/target.js';
import { HttpPushTarget } from '../transports/http-push.js';
import type { HttpOptions } from '../transports/http-fetch.js';
import { LocalReplicaSource } from '../transports/local-source.js';
import { builtinSchemes, type SchemeOptions, type SchemeRegistry } from '../transports/schemes.js';
import { absoluteUrl, localPath } from '../transports/urls.js';
import { serverToken } from './server-token.js';
import { rememberedUrl, replicaUrl, rememberSource } from './replica-urls.js';
export { replicaUrl } from './replica-urls.js';

export interface SyncOptions extends Omit<MergeOptions, 'prefer'> {
  /** `source`/`from` or `target`/`to`; else PROPHET_RESOLVER; else none. */
  prefer?: string;
  env?: NodeJS.ProcessEnv;
  app?: AppDefinition;
  /** Relative paths are taken from here. */
  cwd?: string;
  /** Bearer token for a `prophet server`, for pushes and for reads that need one (else PROPHET_TOKEN, the credentials file: see server-token.ts). */
  token?: string;
  /** Which kinds of URL can be opened (default: Prophet's own). */
  schemes?: SchemeRegistry;
  /** A person is at a terminal and may be asked (a foreign tracker's password). */
  interactive?: boolean;
}

/** The preference from a flag value, else from PROPHET_RESOLVER (which also takes the original's AlwaysSource/AlwaysTarget). */
export function preferenceFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Preference | undefined {
  const given = flag ?? env.PROPHET_RESOLVER;
  if (given === undefined || given === '') return undefined;
  const word = given.toLowerCase().replace(/^always/, '');
  if (word === 'source' || word === 'from') return 'source';
  if (word === 'target' || word === 'to') return 'target';
  const where = flag !== undefined ? '--prefer' : 'PROPHET_RESOLVER';
  throw new ProphetError(`${where} must be 'source' or 'target', not '${given}'`, 'usage');
}

export function mergeOptions(opts: SyncOptions): MergeOptions {
  return { ...opts, prefer: preferenceFrom(opts.prefer, opts.env ?? process.env) };
}

function schemeOptions(opts: SyncOptions & { name?: string }, local?: () => Replica | undefined): SchemeOptions {
  return { env: opts.env, app: opts.app, cwd: opts.cwd, token: opts.token, dryRun: opts.dryRun, force: opts.force, local, onProgress: opts.onProgress, interactive: opts.interactive, name: opts.name };
}

/** Runs `fn` on an opened source or target, closing it after, whatever happens. */
async function using<T extends { close?(): Promise<void> }, R>(opening: Promise<T>, fn: (opened: T) => Promise<R>): Promise<R> {
  const opened = await opening;
  try {
    return await fn(opened);
  } finally {
    await opened.close?.();
  }
}

function withSource<R>(url: string, opts: SyncOptions & { name?: string }, fn: (source: ChangesetSource) => Promise<R>, local?: () => Replica | undefined): Promise<R> {
  return using((opts.schemes ?? builtinSchemes).openSource(url, schemeOptions(opts, local)), fn);
}

function withTarget<R>(url: string, opts: SyncOptions & { name?: string }, fn: (target: ChangesetTarget) => Promise<R>, local?: () => Replica | undefined): Promise<R> {
  return using((opts.schemes ?? builtinSchemes).openTarget(url, schemeOptions(opts, local)), fn);
}

/** The name a URL is configured under: the name given, else the URL as a pull by URL remembers it. */
function replicaName(nameOrUrl: string, url: string, opts: SyncOptions): string {
  return url !== nameOrUrl ? nameOrUrl : rememberedUrl(absoluteUrl(url, opts.cwd), opts.env, true);
}

/** Merges every changeset `target` has not seen from the replica at `nameOrUrl`. */
export async function pull(target: Replica, nameOrUrl: string, opts: SyncOptions = {}): Promise<MergeReport> {
  const url = replicaUrl(target, nameOrUrl, 'pull');
  const token = serverToken(nameOrUrl, url, opts.token, opts.env, target);
  let foreign = false;
  const report = await withSource(
    url,
    { ...opts, token, name: replicaName(nameOrUrl, url, opts) },
    (source) => {
      foreign = !!source.foreign;
      return merge(source, target, mergeOptions(opts));
    },
    () => target,
  );
  if (!opts.dryRun && url === nameOrUrl) rememberSource(target, url, report.changesets.uuid, opts.cwd, opts.env, foreign);
  return report;
}

/** Merges every changeset the replica at `nameOrUrl` has not seen from `source`. */
export async function push(source: Replica, nameOrUrl: string, opts: SyncOptions = {}): Promise<MergeReport> {
  const url = replicaUrl(source, nameOrUrl, 'push');
  const token = serverToken(nameOrUrl, url, opts.token, opts.env, source);
  return withTarget(url, { ...opts, token, name: replicaName(nameOrUrl, url, opts) }, (target) => merge(LocalReplicaSource.of(source), target, mergeOptions(opts)), () => source);
}

/**
 * Pushes a replica to a `prophet server --writable`; the report counts the
 * batches POSTed besides what the server merged.
 */
export async function pushOverHttp(replica: Replica, url: string, opts: HttpOptions = {}): Promise<MergeReport & { batches: number }> {
  const target = new HttpPushTarget(url, opts);
  const report = await merge(LocalReplicaSource.of(replica), target);
  return { ...report, batches: target.batches };
}

/** Merges from one replica URL into another (A → B). */
export async function mergeUrls(from: string, to: string, opts: SyncOptions = {}): Promise<MergeReport> {
  return withTarget(to, opts, (target) => withSource(from, opts, (source) => merge(source, target, mergeOptions(opts))));
}

/**
 * Creates a replica at `to` as a copy of the one at `from` (same database
 * and resolution database uuids, a new replica uuid, then one merge).
 * Clones into a staging directory beside the target, with fsyncs skipped
 * while nobody can see it, then makes it durable and moves its database
 * into place with one rename: a crash at any instant leaves no replica at
 * the target or the whole clone, never a half-written one.
 */
export async function clone(from: string, to: string, opts: SyncOptions = {}): Promise<{ replica: Replica; report: MergeReport }> {
  const path = localPath(to, opts.cwd);
  if (Replica.exists(path)) throw new ProphetError(`cannot clone into ${path}: a replica already exists there`, 'exists');
  const token = serverToken(from, from, opts.token, opts.env);
  // A foreign tracker keeps its bookkeeping in the replica being made, which exists once the clone has begun.
  const made: { replica?: Replica } = {};
  return withSource(from, { ...opts, token, name: rememberedUrl(absoluteUrl(from, opts.cwd), opts.env, true) }, (source) => cloneFromSource(source, path, { ...opts, rememberAs: absoluteUrl(from, opts.cwd), made }), () => made.replica);
}

/** `clone` from a source already opened; `rememberAs` is the URL recorded in the clone's config. */
export async function cloneFromSource(
  source: ChangesetSource,
  path: string,
  opts: SyncOptions & { rememberAs?: string; /** Filled with the replica being made, for a source that works in it. */ made?: { replica?: Replica } } = {},
): Promise<{ replica: Replica; report: MergeReport }> {
  const parent = dirname(path);
  if (!existsSync(parent)) throw new ProphetError(`cannot clone into ${path}: ${parent} does not exist`, 'io');
  const identity = await source.identity();
  const resolutions = await source.resolutions()?.identity();
  sweepStaleStaging(parent);
  const staging = createStaging(path);
  try {
    const replica = Replica.init(staging, {
      env: opts.env,
      app: opts.app,
      databaseUuid: identity.databaseUuid,
      resdbDatabaseUuid: resolutions?.databaseUuid,
      // A foreign tracker has no database settings to bring: the clone starts with the app's.
      withoutSettings: !source.foreign,
    });
    if (opts.made) opts.made.replica = replica;
    let report: MergeReport;
    try {
      replica.skipSyncs();
      report = await merge(source, replica, { ...mergeOptions(opts), bulkLoad: true });
      replica.makeDurable();
    } finally {
      replica.close();
    }
    moveFileDurably(join(staging, DB_FILE), join(path, DB_FILE));
    const cloned = Replica.open(path, { env: opts.env, app: opts.app });
    if (opts.rememberAs) {
      // Fixes the original's quirk (reference 7.2.3): like pull, record the source's uuid.
      const url = rememberedUrl(opts.rememberAs, opts.env, !!source.foreign);
      cloned.config.set(`replica.${url}.url`, url);
      cloned.config.set(`replica.${url}.uuid`, identity.uuid.toLowerCase());
    }
    return { replica: cloned, report };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Fills a hub's database (docs/hub.md) with everything the replica at
 * `from` holds, as a clone fills a directory. A hub of that database
 * already there takes what it lacks, so a seeding cut short is finished
 * by running it again; a hub of another database is refused.
 */
export async function seedHub(from: string, storage: ReplicaStorage, opts: SyncOptions = {}): Promise<{ replica: Replica; report: MergeReport }> {
  const token = serverToken(from, from, opts.token, opts.env);
  return withSource(from, { ...opts, token, name: rememberedUrl(absoluteUrl(from, opts.cwd), opts.env, true) }, async (source) => {
    const identity = await source.identity();
    const resolutions = await source.resolutions()?.identity();
    const resuming = storage.holdsReplica();
    const replica = resuming
      ? Replica.openIn(storage, { env: opts.env, app: opts.app })
      : Replica.initIn(storage, { env: opts.env, app: opts.app, databaseUuid: identity.databaseUuid, resdbDatabaseUuid: resolutions?.databaseUuid, withoutSettings: !source.foreign });
    try {
      if (replica.databaseUuid !== identity.databaseUuid.toLowerCase()) {
        throw new ProphetError(`the hub at ${storage.location} holds database ${replica.databaseUuid}, and ${from} is of database ${identity.databaseUuid}: seed an empty database instead`, 'identity');
      }
      replica.skipSyncs();
      try {
        // A hub just made is served by nobody yet (docs/hub.md: serve it once seeded); one being resumed may be.
        return { replica, report: await merge(source, replica, { ...mergeOptions(opts), bulkLoad: !resuming }) };
      } finally {
        replica.makeDurable();
      }
    } catch (err) {
      replica.close();
      throw err;
    }
  });
}

/** Conflicts merges into this replica settled, oldest first. */
export function conflicts(replica: Replica): ConflictReport[] {
  return readJournal(replica);
}
