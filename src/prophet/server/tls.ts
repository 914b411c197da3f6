import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ProphetError } from '../model/errors.js';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ProphetError(`cannot read the TLS ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'io');
  }
}

/** The PEM certificate (chain) and private key for HTTPS, checked before the server starts so a mistake is one line. */
export function loadTls(certFile: string, keyFile: string): TlsFiles {
  const files = { cert: read(certFile, 'certificate'), key: read(keyFile, 'key') };
  try {
    createSecureContext(files);
  } catch (err) {
    throw new ProphetError(`cannot serve TLS with certificate ${certFile} and key ${keyFile}: ${(err as Error).message}`, 'usage');
  }
  return files;
}
