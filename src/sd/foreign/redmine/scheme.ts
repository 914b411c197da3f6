import { foreignScheme, type Scheme } from '../../../prophet/index.js';

/** `redmine:http://host/projects/IDENTIFIER`: a Redmine project as a replica. */
export const redmineScheme: Scheme = foreignScheme({
  name: 'redmine',
  // The connector's code loads when a command syncs with the tracker, not with every command.
  connect: async (url, opts) => (await import('./connect.js')).connectRedmine(url, opts),
});
