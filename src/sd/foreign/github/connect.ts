import type { ForeignConnector, SchemeOptions } from '../../../prophet/index.js';
import { GithubClient } from './client.js';
import { GithubConnector } from './connector.js';
import { githubToken } from './credentials.js';
import { valueMaps } from '../value-maps.js';
import { GITHUB_MAP_DEFAULTS } from './mapping.js';
import { parseGithubUrl } from './url.js';

/** A connector for a URL of the `github:` scheme; loaded only when a command syncs with one. */
export function connectGithub(url: string, opts: SchemeOptions): ForeignConnector {
  const env = opts.env ?? process.env;
  const gh = parseGithubUrl(url, env);
  const client = new GithubClient(gh, () => githubToken(gh, { interactive: opts.interactive, env }), { env });
  return new GithubConnector(gh, client, () => valueMaps(GITHUB_MAP_DEFAULTS, opts.local?.(), opts.name));
}
