/**
 * Replica URLs to changeset sources and merge targets. Each scheme is one
 * row of a table; a transport adds its row (http, bundles, foreign
 * trackers) without touching the others.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProphetError } from '../model/errors.js';
import { redactUrls } from '../model/redact.js';
import { withSavedPassword } from '../replica/credentials.js';
import { Replica, type OpenOptions } from '../replica/replica.js';
import type { ChangesetSource } from '../sync/source.js';
import { looksLikeBundle, readBundle } from './bundle.js';
import { isHttpUrl } from './http-fetch.js';
import { FolderSource } from './folder-source.js';
import { HttpSource } from './http-source.js';
import { LocalReplicaSource } from './local-source.js';

export interface OpenSourceOptions extends OpenOptions {
  /** Relative paths are taken from here (default: the process's working directory). */
  cwd?: string;
}

export interface SourceScheme {
  /** For messages: `file`, `http`... */
  name: string;
  matches(url: string): boolean;
  open(url: string, opts: OpenSourceOptions): Promise<ChangesetSource>;
}

/** A path, or a `file://` URL, as an absolute path. */
export function localPath(url: string, cwd = process.cwd()): string {
  if (/^file:/i.test(url)) {
    try {
      return fileURLToPath(url);
    } catch (err) {
      throw new ProphetError(`'${url}' is not a usable file URL: ${(err as Error).message}`, 'usage');
    }
  }
  return isAbsolute(url) ? url : resolve(cwd, url);
}

/**
 * A replica URL as it should be remembered in a config: a relative path
 * made absolute (from `cwd`), so the entry means the same replica whatever
 * directory a later `pull` runs in; anything else as given.
 */
export function absoluteUrl(url: string, cwd = process.cwd()): string {
  if (/^bundle:/i.test(url)) return `bundle:${localPath(url.slice('bundle:'.length), cwd)}`;
  return hasForeignScheme(url) || /^file:/i.test(url) ? url : localPath(url, cwd);
}

/** A URL with a scheme other than file: (a Windows drive letter is not a scheme). */
function hasForeignScheme(url: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(url) && !/^file:/i.test(url);
}

export const SOURCE_SCHEMES: SourceScheme[] = [
  {
    name: 'http',
    matches: isHttpUrl,
    open: async (url, opts) => new HttpSource(withSavedPassword(url, opts.env)),
  },
  {
    // A bundle file: `x.bundle`, a file starting as bundles do, or any file as `bundle:PATH`.
    name: 'bundle',
    matches: (url) => /^bundle:/i.test(url) || (!hasForeignScheme(url) && (/\.bundle$/i.test(url) || looksLikeBundle(localPath(url)))),
    open: async (url, opts) => readBundle(localPath(url.replace(/^bundle:/i, ''), opts.cwd)),
  },
  {
    // A replica's directory, or a folder `publish` wrote (on a USB stick, say), as a path, a file:// or a prophet:file:// URL.
    name: 'file',
    matches: (url) => !hasForeignScheme(url) || /^prophet:file:/i.test(url),
    open: async (url, opts) => {
      const path = localPath(url.replace(/^prophet:/i, ''), opts.cwd);
      if (Replica.exists(path)) return LocalReplicaSource.open(path, { ...opts, description: url });
      if (FolderSource.holdsPublished(path)) return new FolderSource(path, url);
      throw new ProphetError(`no prophet replica at ${path} to read from: give a replica's directory, a published folder, a file://, http(s):// or prophet: URL, or a bundle file`, 'not-replica');
    },
  },
];

/** Opens whatever a replica URL names as a source of changesets. */
export async function openSource(url: string, opts: OpenSourceOptions = {}): Promise<ChangesetSource> {
  const scheme = SOURCE_SCHEMES.find((s) => s.matches(url));
  if (!scheme) {
    const known = SOURCE_SCHEMES.map((s) => s.name).join(', ');
    throw new ProphetError(`cannot read replicas at '${redactUrls(url)}': unknown kind of URL (known: ${known}, or a path)`, 'usage');
  }
  return scheme.open(url, opts);
}

/** Opens a replica to merge into: only a native replica on this machine can take changesets. */
export function openTarget(url: string, opts: OpenSourceOptions = {}): Replica {
  if (hasForeignScheme(url)) {
    throw new ProphetError(`cannot push to '${redactUrls(url)}': only a replica on this machine (a path or file:// URL) can be merged into; publish to share over the web`, 'usage');
  }
  const path = localPath(url, opts.cwd);
  // Only a replica of the same database can take the changesets, so the way to make one is a clone, not init.
  if (!Replica.exists(path)) throw new ProphetError(`no prophet replica at ${path} to merge into: make one with 'prophet clone --from SOURCE --to ${path}'`, 'not-replica');
  return Replica.open(path, opts);
}
