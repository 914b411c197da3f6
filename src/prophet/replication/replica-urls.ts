/** Named replicas in a replica's config, and the URLs they stand for. */
import { setPasswordAside, splitPassword } from '../replica/credentials.js';
import type { Replica } from '../replica/replica.js';
import { absoluteUrl } from '../transports/urls.js';

/**
 * A replica's URL for a name in its config: `replica.NAME.pull-url` (or
 * `push-url`), then `replica.NAME.url`; anything else is taken as a URL.
 * A relative path in the config is taken from the replica's directory, so
 * a configured replica does not depend on where the command runs.
 */
export function replicaUrl(replica: Replica, nameOrUrl: string, direction: 'pull' | 'push'): string {
  const config = replica.config;
  const configured = config.get(`replica.${nameOrUrl}.${direction}-url`) ?? config.get(`replica.${nameOrUrl}.url`);
  return configured === undefined ? nameOrUrl : absoluteUrl(configured, replica.root);
}

/** The names of every configured replica to pull from (or push to), in config order: one name per URL. */
export function configuredReplicas(replica: Replica, direction: 'pull' | 'push'): string[] {
  const names = new Set<string>();
  for (const [key] of replica.config.withPrefix('replica.')) {
    const m = new RegExp(`^(.*)\\.(url|${direction}-url)$`).exec(key);
    if (m) names.add(m[1]!);
  }
  const byUrl = new Map<string, string>();
  for (const name of names) {
    const url = replicaUrl(replica, name, direction);
    if (!byUrl.has(url)) byUrl.set(url, name);
  }
  return [...byUrl.values()];
}

/**
 * Remembers a replica pulled from by URL, unless a configured replica
 * already carries its uuid (reference 3.2). A relative path is remembered
 * absolute: the next pull may run from another directory.
 */
export function rememberSource(replica: Replica, given: string, sourceUuid: string, cwd: string | undefined, env?: NodeJS.ProcessEnv, foreign = false): void {
  const config = replica.config;
  const known = config.withPrefix('replica.').some(([key, value]) => key.endsWith('.uuid') && value.toLowerCase() === sourceUuid);
  if (known) return;
  const url = rememberedUrl(absoluteUrl(given, cwd), env, foreign);
  config.set(`replica.${url}.url`, url);
  config.set(`replica.${url}.uuid`, sourceUuid);
}

/**
 * A URL as a config remembers it: never with its password. A replica's
 * password is filed in the credentials file; a foreign tracker's is
 * dropped, since its connector saves one only when the user agrees.
 */
export function rememberedUrl(url: string, env: NodeJS.ProcessEnv | undefined, foreign: boolean): string {
  return foreign ? splitPassword(url).url : setPasswordAside(url, env);
}
