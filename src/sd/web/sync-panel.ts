import { redactUrls } from '../../prophet/index.js';
import type { Replica } from '../../prophet/index.js';

/** The replicas named in the config (`replica.NAME.url`), as the sync panel offers them; URLs shown without credentials. */
export function configuredReplicas(replica: Replica): Array<{ name: string; url: string }> {
  const out: Array<{ name: string; url: string }> = [];
  for (const [key, value] of replica.config.withPrefix('replica.')) {
    const name = /^(.*)\.url$/.exec(key)?.[1];
    if (name !== undefined && !out.some((r) => r.name === name)) out.push({ name, url: redactUrls(value) });
  }
  return out;
}
