import { changesetId } from '../model/changeset.js';
import { KEY_TYPE } from '../replica/key-record.js';
import type { Replica } from '../replica/replica.js';
import { META, parseMeta } from '../sync/resolution-db.js';
import type { ChangesetEntry } from '../sync/source.js';
import { TicketBook, verifyEntry } from '../sync/tickets.js';
import { HttpProblem } from './errors.js';

function unseen(log: Replica, entries: ChangesetEntry[]): ChangesetEntry[] {
  const tickets = new TicketBook(log, log.uuid);
  return entries.filter((e) => !tickets.hasSeen(e));
}

/**
 * Refuses a push, from a token limited to one record type, that would
 * change records of another type: every changeset the server has not seen
 * yet must change that type only, and every decision of the resolution
 * database must be about a conflict of that type. Changesets the server
 * already holds are let through: a pusher relays what it pulled from
 * others, and those change nothing here.
 */
export function refuseOtherTypes(replica: Replica, batch: { changesets: ChangesetEntry[]; resolutionChangesets: ChangesetEntry[] }, type: string): void {
  const refuse = (entry: ChangesetEntry, what: string) =>
    new HttpProblem(403, `this token may push changes to '${type}' records only; changeset ${changesetId(entry.original_source_uuid, entry.original_sequence_no)} ${what}`, 'unauthorized');
  for (const entry of unseen(replica, batch.changesets)) {
    const { content } = verifyEntry(entry, `pushed changeset ${entry.sequence_no}`);
    // A signing key's record travels with the first change its key signs: it changes no data, and only its owner's key can revoke it.
    const other = Object.values(content.changes).find((c) => c.record_type !== type && c.record_type !== KEY_TYPE);
    if (other) throw refuse(entry, `changes a '${other.record_type}' record`);
  }
  for (const entry of unseen(replica.resdb, batch.resolutionChangesets)) {
    const { content } = verifyEntry(entry, `pushed resolution changeset ${entry.sequence_no}`);
    for (const change of Object.values(content.changes)) {
      const decided = parseMeta(change.prop_changes[META]?.new_value ?? undefined).record_type;
      if (decided !== type) throw refuse(entry, `records a decision about ${decided === undefined ? 'an unnamed record type' : `a '${decided}' record`}`);
    }
  }
}
