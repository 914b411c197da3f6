import { foreignScheme, type Scheme } from '../../../prophet/index.js';

/** `rt:http://host|Queue|TicketSQL`: a Request Tracker queue as a replica. */
export const rtScheme: Scheme = foreignScheme({
  name: 'rt',
  // The connector's code loads when a command syncs with the tracker, not with every command.
  connect: async (url, opts) => (await import('./connect.js')).connectRt(url, opts),
});
