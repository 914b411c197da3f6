import { basename } from 'node:path';
import type { Properties } from '../../prophet/index.js';

/**
 * Property values are strings, so an attachment's bytes are stored as
 * base64 in `content` with `content_encoding: base64`. An attachment
 * without that marker (from a foreign tracker or an older peer) holds its
 * content as UTF-8 text.
 */
export const BASE64 = 'base64';

/** Bytes that look like text: valid UTF-8 without NULs. */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The MIME type of a file: its magic bytes first (file-type), then its name
 * (mime-types), then text/plain or application/octet-stream by content.
 * Both libraries are loaded only when an attachment is made.
 */
export async function detectContentType(bytes: Uint8Array, name: string): Promise<string> {
  const { fileTypeFromBuffer } = await import('file-type');
  const magic = await fileTypeFromBuffer(bytes);
  if (magic) return magic.mime;
  const { lookup } = await import('mime-types');
  const byName = lookup(name);
  if (byName) return byName;
  return looksLikeText(bytes) ? 'text/plain' : 'application/octet-stream';
}

/** The properties of a new attachment holding `bytes` (the ticket is added by the caller). */
export async function attachmentProperties(bytes: Uint8Array, name: string, contentType?: string): Promise<Record<string, string>> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    name: basename(name),
    content: buffer.toString('base64'),
    content_encoding: BASE64,
    content_type: contentType ?? (await detectContentType(bytes, name)),
    size: String(buffer.length),
  };
}

/** The exact bytes an attachment holds. */
export function attachmentBytes(props: Properties): Buffer {
  const content = props.content ?? '';
  return props.content_encoding === BASE64 ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
}

/** What is shown and listed for an attachment: everything but its bytes. */
export function attachmentSummary(props: Properties): Properties {
  const { content: _content, content_encoding: _encoding, ...rest } = props;
  return { ...rest, size: rest.size ?? String(attachmentBytes(props).length) };
}
