import { ProphetError, redactUrls } from '../../../prophet/index.js';
import { splitWebAddress } from '../web-address.js';

/** `rt:http(s)://[user[:password]@]host[:port][/path]|Queue|TicketSQL`, split. */
export interface RtUrl {
  /** The server's base URL, without credentials, ending in '/'. */
  server: string;
  user?: string;
  password?: string;
  queue: string;
  /** Empty: every ticket of the queue. */
  query: string;
}

const HINT = "expected rt:http://host[:port]|Queue|TicketSQL, e.g. 'rt:http://rt.example.com|General|' (an empty TicketSQL takes every ticket of the queue)";

export function parseRtUrl(url: string): RtUrl {
  const m = /^rt:(https?:\/\/[^|]+)\|([^|]+)\|?(.*)$/is.exec(url.trim());
  if (!m) throw new ProphetError(`'${redactUrls(url)}' is not an RT URL: ${HINT}`, 'usage');
  const { address, user, password } = splitWebAddress(m[1]!, HINT);
  if (!address.pathname.endsWith('/')) address.pathname += '/';
  return { server: address.href, user, password, queue: m[2]!.trim(), query: m[3]!.trim() };
}
