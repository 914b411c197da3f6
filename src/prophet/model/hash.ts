import { createHash } from 'node:crypto';

/** SHA-256, hex: the content hash of changesets and published files. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-1, hex: only for conflict fingerprints, which are names, not proofs. */
export function sha1Hex(data: string): string {
  return createHash('sha1').update(data).digest('hex');
}
