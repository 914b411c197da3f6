/**
 * SD's API key for a Redmine server: REDMINE_API_KEY, else the credentials
 * file (0600, `api-key` filed under `redmine:<server>`), else a question on
 * the terminal with the answer hidden, saved to the credentials file only
 * if the user says so. Never in the replica's config, never printed.
 */
import { Credentials, ProphetError } from '../../../prophet/index.js';
import { ask, type Asking } from '../shared/prompt.js';

export async function redmineKey(server: string, opts: Asking): Promise<string> {
  const env = opts.env ?? process.env;
  const store = Credentials.load(env);
  const subject = `redmine:${server}`;
  const given = env.REDMINE_API_KEY || store.get(subject, 'api-key');
  if (given) return given;
  if (!opts.interactive) {
    throw new ProphetError(`no API key for Redmine at ${server}: set REDMINE_API_KEY, or save it as 'api-key' under [credential "${subject}"] in ${Credentials.pathFor(env)} (Redmine shows it under "My account")`, 'unauthorized');
  }
  const key = (await ask(`Redmine API key for ${server} (under "My account"): `, true)).trim();
  const keep = (await ask(`Save this key in ${Credentials.pathFor(env)} (readable only by you)? [y/N] `, false)).trim();
  if (/^y/i.test(keep)) store.set(subject, 'api-key', key);
  return key;
}
