import { ProphetError, redactUrls } from '../../../prophet/index.js';

/** `github:owner/repo`, and the API it is reached through. */
export interface GithubUrl {
  owner: string;
  repo: string;
  /** The REST API's base, no trailing slash: https://api.github.com, GitHub Enterprise's https://HOST/api/v3, or a fake. */
  api: string;
}

export const DEFAULT_API = 'https://api.github.com';
const NAME = /^[A-Za-z0-9_.-]+$/;
const HINT = "expected github:OWNER/REPO, e.g. 'github:octocat/hello-world', or a repository's web address, e.g. 'github:https://github.example.com/team/app' (GitHub Enterprise)";

/**
 * Also takes the repository's web address after `github:`
 * (https://HOST/owner/repo[.git]), as people paste it: on a host other
 * than github.com that names a GitHub Enterprise server, whose API is
 * https://HOST/api/v3, so the replica's URL says which server it syncs
 * with. GITHUB_API_URL, when set, names the API in every case.
 */
export function parseGithubUrl(url: string, env: NodeJS.ProcessEnv = process.env): GithubUrl {
  const m = /^github:(.*)$/is.exec(url.trim());
  let path = m?.[1]?.trim() ?? '';
  let api = DEFAULT_API;
  if (/^https?:\/\//i.test(path)) {
    try {
      const web = new URL(path);
      path = web.pathname;
      if (!/^(www\.)?github\.com$/i.test(web.hostname)) api = `${web.origin}/api/v3`;
    } catch {
      path = '';
    }
  }
  const parts = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/');
  if (!m || parts.length !== 2 || !parts.every((p) => NAME.test(p))) throw new ProphetError(`'${redactUrls(url)}' is not a GitHub repository URL: ${HINT}`, 'usage');
  return { owner: parts[0]!, repo: parts[1]!, api: apiFrom(env.GITHUB_API_URL, api) };
}

function apiFrom(given: string | undefined, fallback: string): string {
  const api = given?.trim() || fallback;
  let parsed: URL;
  try {
    parsed = new URL(api);
  } catch {
    throw new ProphetError(`GITHUB_API_URL '${redactUrls(api)}' is not a web address: give the API's base, e.g. https://github.example.com/api/v3`, 'usage');
  }
  if (parsed.username || parsed.password) throw new ProphetError('GITHUB_API_URL must not hold credentials: give the token as GITHUB_TOKEN', 'usage');
  return parsed.href.replace(/\/+$/, '');
}
