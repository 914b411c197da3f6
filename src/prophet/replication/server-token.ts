import { Credentials } from '../replica/credentials.js';
import type { Replica } from '../replica/replica.js';

/**
 * The bearer token for `prophet server`: for a push, and for reads of a
 * server whose reads need one. From the first of: `--token` (visible to
 * every user of the machine in the process list, so the last resort),
 * PROPHET_TOKEN, the credentials file under the replica's configured name
 * and then under its URL, and last the `replica.NAME.token` of a config
 * written before the credentials file existed (absent before a clone).
 */
export function serverToken(nameOrUrl: string, url: string, given: string | undefined, env: NodeJS.ProcessEnv = process.env, replica?: Replica): string | undefined {
  if (given) return given;
  if (env.PROPHET_TOKEN) return env.PROPHET_TOKEN;
  const credentials = Credentials.load(env);
  return credentials.get(nameOrUrl, 'token') ?? credentials.get(url, 'token') ?? replica?.config.get(`replica.${nameOrUrl}.token`);
}
