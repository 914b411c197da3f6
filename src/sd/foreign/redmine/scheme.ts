import { foreignScheme, type Scheme } from '../../../prophet/index.js';
import { RedmineClient } from './client.js';
import { RedmineConnector } from './connector.js';
import { redmineKey } from './credentials.js';
import { valueMaps } from '../value-maps.js';
import { REDMINE_MAP_DEFAULTS } from './mapping.js';
import { parseRedmineUrl } from './url.js';

/** `redmine:http://host/projects/IDENTIFIER`: a Redmine project as a replica. */
export const redmineScheme: Scheme = foreignScheme({
  name: 'redmine',
  connect(url, opts) {
    const redmine = parseRedmineUrl(url);
    const env = opts.env ?? process.env;
    const client = new RedmineClient(redmine.server, () => redmineKey(redmine.server, { interactive: opts.interactive, env }), env);
    return new RedmineConnector(redmine, client, () => valueMaps(REDMINE_MAP_DEFAULTS, opts.local?.(), opts.name));
  },
});
