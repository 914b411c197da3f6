import { BlockList, isIP } from 'node:net';
import { ProphetError } from '../model/errors.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether only this machine can reach `host`: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

export interface Exposure {
  host: string;
  writable: boolean;
  /** Reads need no token. */
  public: boolean;
  tls: boolean;
  /** The owner accepts tokens over plain HTTP beyond loopback (a TLS proxy in front, say). */
  insecure: boolean;
}

/**
 * Refuses to start a server whose clients would send tokens in the clear
 * over a network: beyond loopback, a writable server or one whose reads
 * need a token must use TLS, unless its owner says --insecure.
 */
export function checkExposure(e: Exposure): void {
  if (isLoopback(e.host) || e.tls || e.insecure) return;
  if (!e.writable && e.public) return;
  const why = e.writable ? 'writes need tokens' : 'reads need tokens unless --public';
  throw new ProphetError(
    `on ${e.host} tokens would cross the network in the clear (${why}): give --tls-cert FILE --tls-key FILE, or --insecure if a TLS proxy is in front`,
    'usage',
  );
}
