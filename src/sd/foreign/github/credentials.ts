/**
 * The token SD uses at a GitHub API: GITHUB_TOKEN, else the credentials
 * file (0600, filed under `github:<api>`), else a question on the terminal
 * with the answer hidden, saved only if the user says so. Never in the
 * replica's config, never printed.
 */
import { Credentials, ProphetError } from '../../../prophet/index.js';
import { ask, type Asking } from '../shared/prompt.js';
import type { GithubUrl } from './url.js';

export function credentialsSubject(gh: GithubUrl): string {
  return `github:${gh.api}`;
}

export async function githubToken(gh: GithubUrl, opts: Asking): Promise<string> {
  const env = opts.env ?? process.env;
  const given = env.GITHUB_TOKEN?.trim();
  if (given) return given;
  const store = Credentials.load(env);
  const saved = store.get(credentialsSubject(gh), 'token');
  if (saved) return saved;
  if (!opts.interactive) {
    throw new ProphetError(`no token for GitHub at ${gh.api}: set GITHUB_TOKEN, or run the command on a terminal to be asked for one (it can be saved in ${Credentials.pathFor(env)})`, 'unauthorized');
  }
  const token = (await ask(`GitHub token for ${gh.api} (a personal access token with access to ${gh.owner}/${gh.repo}'s issues): `, true)).trim();
  if (!token) throw new ProphetError(`no token given for GitHub at ${gh.api}`, 'unauthorized');
  const keep = (await ask(`Save this token in ${Credentials.pathFor(env)} (readable only by you)? [y/N] `, false)).trim();
  if (/^y/i.test(keep)) store.set(credentialsSubject(gh), 'token', token);
  return token;
}
