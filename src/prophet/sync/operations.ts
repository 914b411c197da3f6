/**
 * Clone, pull, push and merge between replica URLs, as library calls the
 * CLI (and any app) uses: name lookup in the config, the resolver from
 * flags or the environment, opening and closing both ends.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { redactUrls } from '../model/redact.js';
import { setPasswordAside } from '../replica/credentials.js';
import { DB_FILE, Replica, type AppDefinition } from '../replica/replica.js';
import { moveFileDurably } from '../store/atomic-file.js';
import { isHttpUrl } from '../transports/http-fetch.js';
import { pushOverHttp } from '../transports/http-push.js';
import { absoluteUrl, localPath, openSource, openTarget } from '../transports/resolve.js';
import type { Preference } from './conflict.js';
import type { ConflictPrompt } from './integrate.js';
import { readJournal, type ConflictReport } from './journal.js';
import { merge, type MergeOptions, type MergeReport } from './merge.js';
import { pushToken } from './push-token.js';
import type { ChangesetSource } from './source.js';
import { terminalPrompt, type PromptSession } from './prompt.js';

export interface SyncOptions extends Omit<MergeOptions, 'prompt' | 'prefer'> {
  /** `source`/`from` or `target`/`to`; else PROPHET_RESOLVER; else none. */
  prefer?: string;
  /** Ask on the terminal when nothing else decides: 'auto' (default) asks when stdin and stdout are terminals. */
  prompt?: ConflictPrompt | 'auto' | 'never';
  env?: NodeJS.ProcessEnv;
  app?: AppDefinition;
  /** Relative paths are taken from here. */
  cwd?: string;
  /** Bearer token for pushing to a `prophet server` (else PROPHET_TOKEN, the credentials file: see push-token.ts). */
  token?: string;
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

/** Runs a merge with the options the sync options mean; a terminal prompt lives as long as the merge. */
async function merging<T>(opts: SyncOptions, fn: (options: MergeOptions) => Promise<T>): Promise<T> {
  const prefer = preferenceFrom(opts.prefer, opts.env ?? process.env);
  let prompt: ConflictPrompt | undefined;
  let session: PromptSession | undefined;
  if (typeof opts.prompt === 'function') prompt = opts.prompt;
  else if (opts.prompt !== 'never' && process.stdin.isTTY && process.stdout.isTTY) ({ prompt } = session = terminalPrompt());
  try {
    return await fn({ ...opts, prefer, prompt });
  } finally {
    session?.close();
  }
}

async function withSource<T>(url: string, opts: SyncOptions, fn: (source: ChangesetSource) => Promise<T>): Promise<T> {
  const source = await openSource(url, { env: opts.env, app: opts.app, cwd: opts.cwd });
  try {
    return await fn(source);
  } finally {
    await source.close?.();
  }
}

/**
 * A replica's URL for a name in its config: `replica.NAME.pull-url` (or
 * `push-url`), then `replica.NAME.url`; anything else is taken as a URL.
 * A relative path in the config is taken from the replica's directory, so
 * a configured replica does not depend on where the command runs.
 */
export function replicaUrl(replica: Replica, nameOrUrl: string, direction: 'pull' | 'push'): string {
  const config = replica.config;
  const configured = config.get(`replica.${nameOrUrl}.${direction}-url`) ?? config.get(`replica.${nameOrUrl}.url`);
  return configured === undefined ? nameOrUrl : absoluteUrl(configured, replica.root);
}

/** Every configured replica's URL to pull from, each once. */
export function configuredPullUrls(replica: Replica): string[] {
  const names = new Set<string>();
  for (const [key] of replica.config.withPrefix('replica.')) {
    const m = /^(.*)\.(url|pull-url)$/.exec(key);
    if (m) names.add(m[1]!);
  }
  return [...new Set([...names].map((n) => replicaUrl(replica, n, 'pull')))];
}

/**
 * Remembers a replica pulled from by URL, unless a configured replica
 * already carries its uuid (reference 3.2). A relative path is remembered
 * absolute: the next pull may run from another directory.
 */
function rememberSource(replica: Replica, given: string, sourceUuid: string, cwd: string | undefined, env?: NodeJS.ProcessEnv): void {
  const config = replica.config;
  const known = config.withPrefix('replica.').some(([key, value]) => key.endsWith('.uuid') && value.toLowerCase() === sourceUuid);
  if (known) return;
  const url = setPasswordAside(absoluteUrl(given, cwd), env);
  config.set(`replica.${url}.url`, url);
  config.set(`replica.${url}.uuid`, sourceUuid);
}

/** Merges every changeset `target` has not seen from the replica at `nameOrUrl`. */
export async function pull(target: Replica, nameOrUrl: string, opts: SyncOptions = {}): Promise<MergeReport> {
  const url = replicaUrl(target, nameOrUrl, 'pull');
  const report = await withSource(url, opts, (source) => merging(opts, (options) => merge(source, target, options)));
  if (!opts.dryRun && url === nameOrUrl) rememberSource(target, url, report.changesets.uuid, opts.cwd, opts.env);
  return report;
}

/** A replica `pull --all` could not pull from, and why. */
export interface PullFailure {
  source: string;
  error: string;
}

/** Some replicas of a `pull --all` failed; the others were pulled (their reports are here). */
export class PullAllError extends ProphetError {
  constructor(
    readonly reports: MergeReport[],
    readonly failures: PullFailure[],
  ) {
    const total = reports.length + failures.length;
    super(`could not pull from ${failures.length} of ${total} replicas: ${failures.map((f) => `${f.source}: ${f.error}`).join('; ')}`, 'partial');
    this.name = 'PullAllError';
  }
}

/**
 * Pulls from every configured replica in turn, each with its own source.
 * One unreachable or refusing replica does not keep the others from being
 * pulled: each pull commits on its own, and the failures are reported together.
 */
export async function pullAll(target: Replica, opts: SyncOptions = {}): Promise<MergeReport[]> {
  const urls = configuredPullUrls(target);
  if (!urls.length) throw new ProphetError("no replicas are configured to pull from: add one with 'config replica.NAME.url URL'", 'usage');
  const reports: MergeReport[] = [];
  const failures: PullFailure[] = [];
  for (const url of urls) {
    try {
      reports.push(await pull(target, url, opts));
    } catch (err) {
      if (!(err instanceof ProphetError)) throw err;
      failures.push({ source: redactUrls(url), error: err.message });
    }
  }
  if (failures.length) throw new PullAllError(reports, failures);
  return reports;
}

/** Merges every changeset the replica at `nameOrUrl` has not seen from `source`. */
export async function push(source: Replica, nameOrUrl: string, opts: SyncOptions = {}): Promise<MergeReport> {
  const url = replicaUrl(source, nameOrUrl, 'push');
  if (isHttpUrl(url)) {
    // A server merges on its side, by its own policy: only the token travels from here.
    if (opts.dryRun) throw new ProphetError('--dry-run is not available when pushing to a server', 'usage');
    if (opts.force) throw new ProphetError('--force is not available when pushing to a server: a server takes pushes of its own database only', 'usage');
    const report = await pushOverHttp(source, url, { token: pushToken(source, nameOrUrl, url, opts.token, opts.env) });
    return { ...report, conflicts: report.conflicts as ConflictReport[] };
  }
  return mergeUrls(source.root, url, opts);
}

/** Merges from one replica URL into another (A → B). */
export async function mergeUrls(from: string, to: string, opts: SyncOptions = {}): Promise<MergeReport> {
  const target = openTarget(to, { env: opts.env, app: opts.app, cwd: opts.cwd });
  try {
    return await withSource(from, opts, (source) => merging(opts, (options) => merge(source, target, options)));
  } finally {
    target.close();
  }
}

/**
 * Creates a replica at `to` as a copy of the one at `from`: same database
 * and resolution database uuids, a new replica uuid, then one merge.
 */
/**
 * Clones into a staging directory beside the target, with fsyncs skipped
 * while nobody can see it, then makes it durable and moves its database
 * into place with one rename: a crash at any instant leaves no replica at
 * the target or the whole clone, never a half-written one.
 */
export async function clone(from: string, to: string, opts: SyncOptions = {}): Promise<{ replica: Replica; report: MergeReport }> {
  const path = localPath(to, opts.cwd);
  if (Replica.exists(path)) throw new ProphetError(`cannot clone into ${path}: a replica already exists there`, 'exists');
  return withSource(from, opts, (source) => cloneFromSource(source, path, { ...opts, rememberAs: absoluteUrl(from, opts.cwd) }));
}

/** `clone` from a source already opened; `rememberAs` is the URL recorded in the clone's config. */
export async function cloneFromSource(
  source: ChangesetSource,
  path: string,
  opts: SyncOptions & { rememberAs?: string } = {},
): Promise<{ replica: Replica; report: MergeReport }> {
  const parent = dirname(path);
  if (!existsSync(parent)) throw new ProphetError(`cannot clone into ${path}: ${parent} does not exist`, 'io');
  const identity = await source.identity();
  const resolutions = await source.resolutions()?.identity();
  const staging = mkdtempSync(join(parent, `.${basename(path)}.cloning-`));
  try {
    const replica = Replica.init(staging, {
      env: opts.env,
      app: opts.app,
      databaseUuid: identity.databaseUuid,
      resdbDatabaseUuid: resolutions?.databaseUuid,
      withoutSettings: true,
    });
    let report: MergeReport;
    try {
      replica.skipSyncs();
      report = await merging(opts, (options) => merge(source, replica, options));
      replica.makeDurable();
    } finally {
      replica.close();
    }
    moveFileDurably(join(staging, DB_FILE), join(path, DB_FILE));
    const cloned = Replica.open(path, { env: opts.env, app: opts.app });
    if (opts.rememberAs) {
      // Fixes the original's quirk (reference 7.2.3): like pull, record the source's uuid.
      const url = setPasswordAside(opts.rememberAs, opts.env);
      cloned.config.set(`replica.${url}.url`, url);
      cloned.config.set(`replica.${url}.uuid`, identity.uuid.toLowerCase());
    }
    return { replica: cloned, report };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Conflicts merges into this replica settled, oldest first. */
export function conflicts(replica: Replica): ConflictReport[] {
  return readJournal(replica);
}
