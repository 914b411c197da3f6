import { isAbsolute, resolve } from 'node:path';
import { ProphetError, redactUrls } from '../../../prophet/index.js';

/** `fossil:/path/to/repo.fossil` or `fossil:http(s)://[user[:password]@]host[:port]/path`, split. */
export type FossilUrl =
  | { kind: 'file'; path: string }
  | {
      kind: 'http';
      /** The server's URL without credentials. */
      server: string;
      user?: string;
      password?: string;
    };

const HINT = "expected fossil:/path/to/repo.fossil or fossil:http://host[:port]/repo, e.g. 'fossil:/srv/project.fossil'";

export function parseFossilUrl(url: string, cwd = process.cwd()): FossilUrl {
  const m = /^fossil:(.+)$/is.exec(url.trim());
  if (!m) throw new ProphetError(`'${redactUrls(url)}' is not a Fossil URL: ${HINT}`, 'usage');
  const rest = m[1]!;
  if (!/^https?:\/\//i.test(rest)) {
    const path = rest.replace(/^file:\/\//i, '');
    return { kind: 'file', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  let parsed: URL;
  try {
    parsed = new URL(rest);
  } catch {
    throw new ProphetError(`'${redactUrls(rest)}' is not a valid web address: ${HINT}`, 'usage');
  }
  const user = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return { kind: 'http', server: parsed.href.replace(/\/$/, ''), user, password };
}
