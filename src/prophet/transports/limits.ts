import { BadDataError } from '../model/errors.js';

/**
 * How much a reader takes from a peer before refusing. A published folder
 * or a server is not trusted to be small: without a bound, one endless
 * answer or one gzip bomb takes the reader's memory. Where the manifest
 * states a size (a pack's bytes), that is the bound; small documents have
 * fixed caps far above anything a real peer sends.
 */
export interface ByteLimit {
  bytes: number;
  /** What is limited, for the refusal: "replica.json", "a pack's text"... */
  what: string;
}

export const KIB = 1024;
export const MIB = 1024 * KIB;

/** JSON a server answers with (push tickets, a push batch's report): a few KiB in practice. */
export const JSON_ANSWER_LIMIT: ByteLimit = { bytes: 16 * MIB, what: 'a JSON answer' };

/** The body of a refusal: only its first words end up in the message. */
export const REASON_LIMIT: ByteLimit = { bytes: 64 * KIB, what: 'an error message' };

/** A byte count the way people read it: 700 KiB, 16 MiB, 2.8 GiB. */
export function describeBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}

/**
 * The refusal of data over a limit, the same words whether it came from a
 * disk or a server. `size` is given when known up front (a file's size, a
 * Content-Length); else the data was cut off as it passed the limit.
 */
export function overLimit(where: string, limit: ByteLimit, size?: number): BadDataError {
  const how = size === undefined ? 'goes past' : `is ${describeBytes(size)}, over`;
  return new BadDataError(`${where} ${how} the ${describeBytes(limit.bytes)} limit for ${limit.what}`);
}

/** The refusal of compressed data that inflates past a limit (a gzip bomb, or a corrupt stream). */
export function expandsPast(where: string, limit: ByteLimit): BadDataError {
  return new BadDataError(`${where} expands past the ${describeBytes(limit.bytes)} limit for ${limit.what}`);
}
