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
const HINT = "expected github:OWNER/REPO, e.g. 'github:octocat/hello-world' (GITHUB_API_URL names the API of a GitHub Enterprise server)";

/** Also takes the repository's web address after `github:` (https://github.com/owner/repo[.git]), as people paste it. */
export function parseGithubUrl(url: string, env: NodeJS.ProcessEnv = process.env): GithubUrl {
  const m = /^github:(.*)$/is.exec(url.trim());
  let path = m?.[1]?.trim() ?? '';
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      path = '';
    }
  }
  const parts = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/');
  if (!m || parts.length !== 2 || !parts.every((p) => NAME.test(p))) throw new ProphetError(`'${redactUrls(url)}' is not a GitHub repository URL: ${HINT}`, 'usage');
  let api = (env.GITHUB_API_URL ?? '').trim() || DEFAULT_API;
  try {
    const parsed = new URL(api);
    if (parsed.username || parsed.password) throw new ProphetError(`GITHUB_API_URL must not hold credentials: give the token as GITHUB_TOKEN`, 'usage');
    api = parsed.href.replace(/\/+$/, '');
  } catch (err) {
    if (err instanceof ProphetError) throw err;
    throw new ProphetError(`GITHUB_API_URL '${redactUrls(api)}' is not a web address: give the API's base, e.g. https://github.example.com/api/v3`, 'usage');
  }
  return { owner: parts[0]!, repo: parts[1]!, api };
}
