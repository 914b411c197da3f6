import { foreignScheme, type Scheme } from '../../../prophet/index.js';
import { GithubClient } from './client.js';
import { GithubConnector } from './connector.js';
import { githubToken } from './credentials.js';
import { valueMaps } from '../value-maps.js';
import { GITHUB_MAP_DEFAULTS } from './mapping.js';
import { parseGithubUrl } from './url.js';

/** `github:owner/repo`: a GitHub repository's issues as a replica (GITHUB_API_URL for GitHub Enterprise). */
export const githubScheme: Scheme = foreignScheme({
  name: 'github',
  connect(url, opts) {
    const env = opts.env ?? process.env;
    const gh = parseGithubUrl(url, env);
    const client = new GithubClient(gh, () => githubToken(gh, { interactive: opts.interactive, env }), { env });
    return new GithubConnector(gh, client, () => valueMaps(GITHUB_MAP_DEFAULTS, opts.local?.(), opts.name));
  },
});
