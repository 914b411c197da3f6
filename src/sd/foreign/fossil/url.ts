import { isAbsolute, resolve } from 'node:path';
import { ProphetError, redactUrls } from '../../../prophet/index.js';
import { splitWebAddress } from '../web-address.js';

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
  const { address, user, password } = splitWebAddress(rest, HINT);
  return { kind: 'http', server: address.href.replace(/\/$/, ''), user, password };
}
