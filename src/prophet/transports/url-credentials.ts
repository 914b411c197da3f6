/**
 * Credentials typed into a replica URL (`http://alice:hunter2@host/`) are
 * sent to the server and never shown: every message names the URL with
 * the secret part masked.
 */

const MASK = '***';

/** The URL as it may be printed: a password, or a lone user name (often a token), masked. */
export function redactUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const shown = new URL(url.href);
  if (shown.password) shown.password = MASK;
  else shown.username = MASK;
  return shown.href;
}

/** Any text with the credentials of the URLs in it masked (a URL typed by the user, echoed in a message). */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*)@/gi, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? MASK : `${userinfo.slice(0, colon)}:${MASK}`}@`;
  });
}

/**
 * The URL without its credentials, and the `Authorization: Basic` value
 * they stand for: fetch refuses a URL carrying them.
 */
export function splitCredentials(url: URL): { url: URL; authorization?: string } {
  if (!url.username && !url.password) return { url };
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { url: bare, authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}
