import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { percentDecoded } from '../model/percent.js';
import { replaceFile } from '../store/atomic-file.js';
import { describeFsError } from '../store/disk-errors.js';
import { editGitConfig, parseGitConfig, splitKey } from './git-config.js';

/**
 * Secrets live apart from the configuration: a replica's `config` may be
 * read by anyone who can read the replica, and is copied with it. One file
 * per user, private to them (0600), in git-config syntax, one section per
 * replica URL or configured replica name:
 *
 *   [credential "http://host.example:8008/"]
 *       token = 0a1b2c3d.secret
 *   [credential "origin"]
 *       token = ...
 *
 * Foreign-tracker connectors keep their keys (`api-key`, `password`) here too.
 */
export class Credentials {
  private constructor(
    readonly path: string,
    private text: string,
  ) {}

  /** The file: PROPHET_CREDENTIALS, else $XDG_CONFIG_HOME/prophet/credentials, else ~/.config/prophet/credentials. */
  static pathFor(env: NodeJS.ProcessEnv = process.env): string {
    if (env.PROPHET_CREDENTIALS) return env.PROPHET_CREDENTIALS;
    const configHome = env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), '.config');
    return join(configHome, 'prophet', 'credentials');
  }

  static load(env: NodeJS.ProcessEnv = process.env): Credentials {
    const path = Credentials.pathFor(env);
    return new Credentials(path, existsSync(path) ? readFileSync(path, 'utf8') : '');
  }

  /** The secret `key` (`token`, `password`...) for a replica name or URL. */
  get(subject: string, key: string): string | undefined {
    const wanted = credentialSubject(subject);
    const name = key.toLowerCase();
    let found: string | undefined;
    for (const entry of parseGitConfig(this.text, this.path)) {
      const { section, sub, name: entryName } = splitKey(entry.key);
      // A section typed by hand may spell its URL another way (`http://Host/x`).
      if (section === 'credential' && sub !== undefined && entryName === name && credentialSubject(sub) === wanted) found = entry.value;
    }
    return found;
  }

  /** Saves (or with undefined, removes) a secret; the file is replaced whole and stays private. */
  set(subject: string, key: string, value: string | undefined): void {
    const text = editGitConfig(this.text, `credential.${credentialSubject(subject)}.${key}`, value);
    try {
      // Only its owner may list the directory of a secrets file (the XDG rule for config directories).
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    } catch (err) {
      throw describeFsError(err, dirname(this.path), 'save the credentials');
    }
    replaceFile(this.path, text, { mode: 0o600, action: 'save the credentials' });
    this.text = text;
  }
}

/**
 * The name a secret is filed under: a replica name as it is; a URL without
 * its password, query or fragment and with a final '/', so the forms of one
 * address a user may type (`prophet:http://h/x`, `http://h/x/`) share it.
 */
export function credentialSubject(nameOrUrl: string): string {
  const bare = nameOrUrl.replace(/^prophet:/i, '');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(bare)) return nameOrUrl;
  let url: URL;
  try {
    url = new URL(bare);
  } catch {
    return nameOrUrl;
  }
  url.password = '';
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** A URL split into an optional `prophet:` prefix and the parsed rest; undefined for paths and names. */
function parseUrl(url: string): { prefix: string; parsed: URL } | undefined {
  const prefix = /^prophet:/i.exec(url)?.[0] ?? '';
  try {
    return { prefix, parsed: new URL(url.slice(prefix.length)) };
  } catch {
    return undefined;
  }
}

/** `http://alice:hunter2@host/` as `http://alice@host/` and `hunter2`; anything without a password as it is. */
export function splitPassword(url: string): { url: string; password?: string } {
  const u = parseUrl(url);
  if (!u?.parsed.password) return splitWrappedPassword(url);
  const password = percentDecoded(u.parsed.password);
  u.parsed.password = '';
  return { url: `${u.prefix}${u.parsed.href}`, password };
}

// A foreign tracker's URL wraps a web address in its own syntax (`rt:http://alice:pw@host|Queue|`), which no URL parser reads.
const WRAPPED_USERINFO = /^([a-z][a-z0-9+.-]*:[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#]*)@/i;

function splitWrappedPassword(url: string): { url: string; password?: string } {
  const m = WRAPPED_USERINFO.exec(url);
  if (!m) return { url };
  return { url: `${m[1]}@${url.slice(m[0].length)}`, password: percentDecoded(m[2]!) };
}

/**
 * A URL about to be remembered in a config, with its password moved to the
 * credentials file (filed under the URL without it).
 */
export function setPasswordAside(url: string, env: NodeJS.ProcessEnv = process.env): string {
  const { url: bare, password } = splitPassword(url);
  if (password !== undefined) Credentials.load(env).set(bare, 'password', password);
  return bare;
}

/** A URL naming a user but no password, with the password saved for it filled in (when there is one). */
export function withSavedPassword(url: string, env: NodeJS.ProcessEnv = process.env): string {
  const u = parseUrl(url);
  if (!u?.parsed.username || u.parsed.password) return url;
  const password = Credentials.load(env).get(url, 'password');
  if (password === undefined) return url;
  u.parsed.password = encodeURIComponent(password);
  return `${u.prefix}${u.parsed.href}`;
}
