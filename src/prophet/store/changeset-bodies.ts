/**
 * Changeset bodies at rest: a body is canonical JSON, its hash and signature
 * are over that text, and it is what peers exchange. In the file a body of
 * some size is kept raw-deflated (a BLOB): a bulk create's bodies shrink
 * about sevenfold (every property's name, `"old_value":null` and the
 * record's uuid repeat in them). Short bodies, and those deflate does not
 * shrink, stay text; rows written before schema 8 are all text.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Bodies shorter than this stay text. A one-record changeset (about a
 * kilobyte) deflates about 3.5×, but each call costs tens of microseconds,
 * which a clone or pull of many such changesets pays twice (inflating the
 * source's, deflating its own): 10–30% of a 40,000-changeset clone in
 * bench:sync. Bulk changesets, where nearly all the bytes are, still shrink.
 */
const DEFLATE_FROM = 4096;

/** Zlib's level 3: nearly level 6's size in a third of its time on these bodies. */
const LEVEL = 3;

export type StoredBody = string | Buffer;

export function packBody(body: string): StoredBody {
  if (body.length < DEFLATE_FROM) return body;
  const packed = deflateRawSync(body, { level: LEVEL });
  return packed.length < body.length ? packed : body;
}

export function unpackBody(stored: StoredBody): string {
  return typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8');
}
