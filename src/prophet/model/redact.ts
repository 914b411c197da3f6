/**
 * Secrets kept out of what Prophet prints: every message that may hold a
 * URL a user typed or configured passes through here.
 */

// `scheme://userinfo@`: the user information runs to the last '@' before the host, as URL parsers read it.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;

/** A usage message's `postgres://USER@HOST/DATABASE` shows where a user goes, not one: no secret to hide. */
const PLACEHOLDER = /^USER(:PASSWORD)?$/;

/** What stands for a secret in printed text. */
export const HIDDEN = '***';

/**
 * `http://alice:hunter2@host/` becomes `http://alice:***@host/`, anywhere
 * in `text`; a lone user name (often a token) is masked whole.
 */
export function redactUrls(text: string): string {
  return text.replace(URL_USERINFO, (whole: string, scheme: string, userinfo: string) => {
    if (PLACEHOLDER.test(userinfo)) return whole;
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? HIDDEN : `${userinfo.slice(0, colon)}:${HIDDEN}`}@`;
  });
}

/** Config keys whose values are secrets: `replica.NAME.token`, `*.password`, `*.api-key`... */
export function isSecretKey(key: string): boolean {
  return /\.(token|password|api-key|secret)$/i.test(key);
}
