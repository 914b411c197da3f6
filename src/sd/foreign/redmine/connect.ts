import type { ForeignConnector, SchemeOptions } from '../../../prophet/index.js';
import { RedmineClient } from './client.js';
import { RedmineConnector } from './connector.js';
import { redmineKey } from './credentials.js';
import { valueMaps } from '../value-maps.js';
import { REDMINE_MAP_DEFAULTS } from './mapping.js';
import { parseRedmineUrl } from './url.js';

/** A connector for a URL of the `redmine:` scheme; loaded only when a command syncs with one. */
export function connectRedmine(url: string, opts: SchemeOptions): ForeignConnector {
  const redmine = parseRedmineUrl(url);
  const env = opts.env ?? process.env;
  const client = new RedmineClient(redmine.server, () => redmineKey(redmine.server, { interactive: opts.interactive, env }), env);
  return new RedmineConnector(redmine, client, () => valueMaps(REDMINE_MAP_DEFAULTS, opts.local?.(), opts.name));
}
