import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProphetError } from '../model/errors.js';

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

/** A URL with a scheme other than file: (a Windows drive letter is not a scheme). */
export function hasForeignScheme(url: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(url) && !/^file:/i.test(url);
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
