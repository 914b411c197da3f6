import { createRequire } from 'node:module';

type Uuid = typeof import('uuid');

/** uuid loads as some twenty ES modules, a third of Node's own start-up: required on first use, by foreign trackers only. */
let uuid: Uuid | undefined;
function loadUuid(): Uuid {
  uuid ??= createRequire(import.meta.url)('uuid') as Uuid;
  return uuid;
}

/**
 * Name-based uuids in the URL namespace (RFC 4122 version 5), as the
 * original derived them: the same remote record gets the same uuid on
 * every replica that pulls it, without talking.
 */
export function urlUuid(url: string): string {
  const { v5 } = loadUuid();
  return v5(url, v5.URL);
}
