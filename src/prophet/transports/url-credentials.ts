/**
 * Credentials typed into a replica URL (`http://alice:hunter2@host/`) are
 * sent to the server and never shown: every message names the URL with
 * the secret part masked.
 */

import { HIDDEN as MASK } from '../model/redact.js';

/** The URL as it may be printed: a password, or a lone user name (often a token), masked. */
export function redactUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const shown = new URL(url.href);
  if (shown.password) shown.password = MASK;
  else shown.username = MASK;
  return shown.href;
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
