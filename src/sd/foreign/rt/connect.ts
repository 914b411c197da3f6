import type { ForeignConnector, SchemeOptions } from '../../../prophet/index.js';
import { RtClient } from './client.js';
import { DEFAULT_MAX_ATTACHMENT, RtConnector } from './connector.js';
import { rtCredentials } from './credentials.js';
import { RT_MAP_DEFAULTS } from './mapping.js';
import { valueMaps } from '../value-maps.js';
import { parseRtUrl } from './url.js';

/** The largest attachment sent to RT: SD_RT_MAX_ATTACHMENT bytes, else RT's default limit. */
function maxAttachment(env: NodeJS.ProcessEnv): number {
  const given = Number(env.SD_RT_MAX_ATTACHMENT);
  return Number.isSafeInteger(given) && given > 0 ? given : DEFAULT_MAX_ATTACHMENT;
}

/** A connector for a URL of the `rt:` scheme; loaded only when a command syncs with one. */
export function connectRt(url: string, opts: SchemeOptions): ForeignConnector {
  const rt = parseRtUrl(url);
  const env = opts.env ?? process.env;
  const client = new RtClient(rt.server, () => rtCredentials(url, rt, { interactive: opts.interactive, env }), env);
  return new RtConnector(rt, client, () => valueMaps(RT_MAP_DEFAULTS, opts.local?.(), opts.name), maxAttachment(env));
}
