/**
 * Replica URLs to changeset sources and merge targets. Each kind of URL is
 * a scheme registered in a registry: Prophet registers its own (http,
 * bundles, folders), and an app registers more (a foreign tracker's
 * `rt:` or `github:`) without Prophet knowing them.
 */
import { ProphetError } from '../model/errors.js';
import { redactUrls } from '../model/redact.js';
import { refuseUnfinishedClone } from '../replica/clone-staging.js';
import { withSavedPassword } from '../replica/credentials.js';
import { Replica, type OpenOptions } from '../replica/replica.js';
import { ReplicaTarget } from '../sync/replica-target.js';
import type { ChangesetSource } from '../sync/source.js';
import type { ChangesetTarget, MergeProgress } from '../sync/target.js';
import { looksLikeBundle, readBundle } from './bundle.js';
import { FolderSource } from './folder-source.js';
import { isHttpUrl } from './http-fetch.js';
import { HttpPushTarget } from './http-push.js';
import { HttpSource } from './http-source.js';
import { LocalReplicaSource } from './local-source.js';
import { hasForeignScheme, localPath } from './urls.js';

export interface SchemeOptions extends OpenOptions {
  /** Relative paths are taken from here (default: the process's working directory). */
  cwd?: string;
  /** A bearer token for a server: one that takes pushes, or whose reads need a token. */
  token?: string;
  /** What the merge will be asked to do, for targets that cannot do it. */
  dryRun?: boolean;
  force?: boolean;
  /**
   * The local replica the operation works on (a pull's target, a push's
   * source, a clone's new replica once it exists): a foreign tracker keeps
   * its bookkeeping there. Absent for merges between two URLs.
   */
  local?: () => Replica | undefined;
  /** A source's or target's own phases ("Finding matching tickets"), for the progress bar. */
  onProgress?: (progress: MergeProgress) => void;
  /** Whether a person is at a terminal to be asked (a password, hidden). */
  interactive?: boolean;
  /**
   * The name the URL is configured under (`replica.NAME.url`), or the URL
   * itself when it was given as one: where a foreign replica's own
   * settings (its value maps) are looked up.
   */
  name?: string;
}

export interface Scheme {
  /** For messages: `file`, `http`, `rt`... */
  name: string;
  matches(url: string): boolean;
  /** Absent: this kind of URL cannot be read from. */
  openSource?(url: string, opts: SchemeOptions): Promise<ChangesetSource>;
  /** Absent: this kind of URL cannot be merged into. */
  openTarget?(url: string, opts: SchemeOptions): Promise<ChangesetTarget>;
}

export class SchemeRegistry {
  private readonly schemes: Scheme[];

  constructor(schemes: readonly Scheme[] = []) {
    this.schemes = [...schemes];
  }

  /** A registry with these schemes tried first, then this one's. */
  with(schemes: readonly Scheme[]): SchemeRegistry {
    return new SchemeRegistry([...schemes, ...this.schemes]);
  }

  private find(url: string, doing: string): Scheme {
    const scheme = this.schemes.find((s) => s.matches(url));
    if (!scheme) throw new ProphetError(`${doing} '${redactUrls(url)}': unknown kind of URL (known: ${this.schemes.map((s) => s.name).join(', ')}, or a path)`, 'usage');
    return scheme;
  }

  /** Opens whatever a replica URL names as a source of changesets. */
  async openSource(url: string, opts: SchemeOptions = {}): Promise<ChangesetSource> {
    const scheme = this.find(url, 'cannot read replicas at');
    if (!scheme.openSource) throw new ProphetError(`cannot read replicas at '${url}': a ${scheme.name} URL can only be pushed to`, 'usage');
    return scheme.openSource(url, opts);
  }

  /** Opens whatever a replica URL names as a target to merge into. */
  async openTarget(url: string, opts: SchemeOptions = {}): Promise<ChangesetTarget> {
    const scheme = this.find(url, 'cannot push to');
    if (!scheme.openTarget) {
      throw new ProphetError(`cannot push to '${url}': a ${scheme.name} URL can only be read from; push to a replica on this machine or a prophet server, or publish to share over the web`, 'usage');
    }
    return scheme.openTarget(url, opts);
  }
}

const httpScheme: Scheme = {
  name: 'http',
  matches: isHttpUrl,
  openSource: async (url, opts) => new HttpSource(withSavedPassword(url, opts.env), { token: opts.token }),
  // A server merges on its side, by its own policy: only the token travels from here.
  openTarget: async (url, opts) => {
    if (opts.dryRun) throw new ProphetError('--dry-run is not available when pushing to a server', 'usage');
    if (opts.force) throw new ProphetError('--force is not available when pushing to a server: a server takes pushes of its own database only', 'usage');
    return new HttpPushTarget(withSavedPassword(url, opts.env), { token: opts.token });
  },
};

const bundleScheme: Scheme = {
  // A bundle file: `x.bundle`, a file starting as bundles do, or any file as `bundle:PATH`.
  name: 'bundle',
  matches: (url) => /^bundle:/i.test(url) || (!hasForeignScheme(url) && (/\.bundle$/i.test(url) || looksLikeBundle(localPath(url)))),
  openSource: async (url, opts) => readBundle(localPath(url.replace(/^bundle:/i, ''), opts.cwd)),
};

const fileScheme: Scheme = {
  // A replica's directory, or a folder `publish` wrote (on a USB stick, say), as a path, a file:// or a prophet:file:// URL.
  name: 'file',
  matches: (url) => !hasForeignScheme(url) || /^prophet:file:/i.test(url),
  openSource: async (url, opts) => {
    const path = localPath(url.replace(/^prophet:/i, ''), opts.cwd);
    refuseUnfinishedClone(path);
    if (Replica.exists(path)) return LocalReplicaSource.open(path, { ...opts, description: url });
    if (FolderSource.holdsPublished(path)) return new FolderSource(path, url);
    throw new ProphetError(`no prophet replica at ${path} to read from: give a replica's directory, a published folder, a file://, http(s):// or prophet: URL, or a bundle file`, 'not-replica');
  },
  openTarget: async (url, opts) => {
    const path = localPath(url.replace(/^prophet:/i, ''), opts.cwd);
    refuseUnfinishedClone(path);
    // Only a replica of the same database can take the changesets, so the way to make one is a clone, not init.
    if (!Replica.exists(path)) throw new ProphetError(`no prophet replica at ${path} to merge into: make one with 'prophet clone --from SOURCE --to ${path}'`, 'not-replica');
    return new ReplicaTarget(Replica.open(path, opts), { description: url, owner: true });
  },
};

/** Prophet's own schemes: http(s) (published replicas and servers), bundle files, and local replicas and published folders. */
export const builtinSchemes = new SchemeRegistry([httpScheme, bundleScheme, fileScheme]);
