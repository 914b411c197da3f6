import { ProphetError, redactUrls } from '../../prophet/index.js';

/**
 * The web address inside a foreign tracker's URL, parsed, without its
 * credentials (given back apart, decoded), query or fragment; a bad one
 * fails with one line ending in the connector's `hint`.
 */
export function splitWebAddress(text: string, hint: string): { address: URL; user?: string; password?: string } {
  let address: URL;
  try {
    address = new URL(text);
  } catch {
    throw new ProphetError(`'${redactUrls(text)}' is not a valid web address: ${hint}`, 'usage');
  }
  const user = address.username ? decodeURIComponent(address.username) : undefined;
  const password = address.password ? decodeURIComponent(address.password) : undefined;
  address.username = '';
  address.password = '';
  address.search = '';
  address.hash = '';
  return { address, user, password };
}
