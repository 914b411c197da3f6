import { foreignScheme, type Scheme } from '../../../prophet/index.js';

/** `fossil:/path/repo.fossil` or `fossil:http://host/repo`: a Fossil repository's tickets as a replica. */
export const fossilScheme: Scheme = foreignScheme({
  name: 'fossil',
  // The connector's code loads when a command syncs with the tracker, not with every command.
  connect: async (url, opts) => (await import('./connect.js')).connectFossil(url, opts),
});
