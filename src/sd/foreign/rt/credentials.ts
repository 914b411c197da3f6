/**
 * Who SD is at an RT server: the URL's user and password, else
 * SD_RT_USER and SD_RT_PASSWORD, else the credentials file (0600, filed
 * under the URL or under `rt:<server>`), else a question on the terminal
 * with the password hidden, saved to the credentials file only if the
 * user says so. Never in the replica's config, never printed.
 */
import { Credentials, ProphetError, splitPassword } from '../../../prophet/index.js';
import { ask, type Asking } from '../ask.js';
import type { RtCredentials } from './client.js';
import type { RtUrl } from './url.js';

export async function rtCredentials(url: string, rt: RtUrl, opts: Asking): Promise<RtCredentials> {
  const env = opts.env ?? process.env;
  const store = Credentials.load(env);
  const subjects = [splitPassword(url).url, `rt:${rt.server}`];
  const saved = (key: string) => subjects.map((s) => store.get(s, key)).find((v) => v !== undefined);
  const user = rt.user ?? env.SD_RT_USER ?? saved('user');
  let password = rt.password ?? (user === env.SD_RT_USER || !rt.user ? env.SD_RT_PASSWORD : undefined) ?? saved('password');
  if (user && password !== undefined) return { user, password };
  if (!opts.interactive) {
    throw new ProphetError(`no ${user ? 'password' : 'user name'} for RT at ${rt.server}: give it in the URL (rt:http://USER:PASSWORD@host|Queue|), as SD_RT_USER and SD_RT_PASSWORD, or in the credentials file (${Credentials.pathFor(env)})`, 'unauthorized');
  }
  const name = user ?? (await ask(`Username for ${rt.server}: `, false)).trim();
  password = await ask(`Password for ${name} @ ${rt.server}: `, true);
  const keep = (await ask(`Save this password in ${Credentials.pathFor(env)} (readable only by you)? [y/N] `, false)).trim();
  if (/^y/i.test(keep)) {
    store.set(`rt:${rt.server}`, 'user', name);
    store.set(`rt:${rt.server}`, 'password', password);
  }
  return { user: name, password };
}
