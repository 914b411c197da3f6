import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProphetError, search } from '../../../prophet/index.js';
import type { Context, RecordState, Replica } from '../../../prophet/index.js';
import { TICKET } from '../../model/record-types.js';

/** The options that name a record (besides a word: `sd ticket show 11`). */
export const ID_OPTIONS = ['id', 'uuid', 'luid'];

/** A file named on the command line, relative to the working directory. */
export function readUserFile(ctx: Context, file: string): Buffer {
  try {
    return readFileSync(resolve(ctx.io.cwd, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new ProphetError(`cannot read ${file}: ${why}`, 'io');
  }
}

/**
 * For `comment list` and `attachment list`: with a ticket id, that
 * ticket's records; without one, every record of `type`.
 */
export function ofTicketOrAll(ctx: Context, type: string, ofTicket: (replica: Replica, ticketUuid: string) => RecordState[]): RecordState[] {
  const replica = ctx.replica();
  const named = ctx.words.length > 0 || ID_OPTIONS.some((o) => ctx.option(o) !== undefined);
  return named ? ofTicket(replica, replica.get(ctx.recordId(), TICKET).uuid) : search(replica, type);
}

/** `id: LUID (UUID)` then `name: value` sorted by name: how a comment or an attachment is shown. */
export function recordLines(r: { luid: number; uuid: string; props: Record<string, string> }): string[] {
  return [`id: ${r.luid} (${r.uuid})`, ...Object.keys(r.props).sort().map((k) => `${k}: ${r.props[k]}`)];
}
