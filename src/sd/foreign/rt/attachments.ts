/** The message bodies and files RT keeps with a ticket's transactions, as REST 2 lists them. */

export interface RtAttachment {
  id: number;
  transaction: number;
  filename: string;
  contentType: string;
  /**
   * As a search lists it: text as characters (RT decodes it), but bytes of
   * a file each as one character, so files are read again one by one, as
   * base64 (`fileBytes`).
   */
  text: string;
}

export interface RawAttachment {
  id: string | number;
  Filename?: string;
  ContentType?: string;
  Content?: string | null;
  TransactionId?: { id: string } | string;
}

export function parseAttachment(raw: RawAttachment): RtAttachment {
  const txn = typeof raw.TransactionId === 'object' ? raw.TransactionId.id : raw.TransactionId;
  return {
    id: Number(raw.id),
    transaction: Number(txn),
    filename: raw.Filename ?? '',
    contentType: (raw.ContentType ?? '').toLowerCase(),
    text: raw.Content ?? '',
  };
}

/** A file's exact bytes, from `GET /attachment/N` (which sends them as base64). */
export function fileBytes(raw: { Content?: string | null }): Buffer {
  return Buffer.from(raw.Content ?? '', 'base64');
}

/** A transaction's text: its first text part that is not a file; and its files. */
export function messageOf(parts: RtAttachment[]): { text?: string; files: RtAttachment[] } {
  const body = parts.find((p) => !p.filename && p.contentType.startsWith('text/plain'));
  return { text: body?.text, files: parts.filter((p) => p.filename) };
}
