import { v5 } from 'uuid';

/**
 * Name-based uuids in the URL namespace (RFC 4122 version 5), as the
 * original derived them: the same remote record gets the same uuid on
 * every replica that pulls it, without talking.
 */
export function urlUuid(url: string): string {
  return v5(url, v5.URL);
}
