/** What the pages show, gathered from the replica through the same functions the CLI uses. */
import { conflicts, describeSignature, KeyRing } from '../../prophet/index.js';
import type { Changeset, Replica } from '../../prophet/index.js';
import { ticketFields, ticketConflicts, replicaDisplayName } from '../cli/ticket-view.js';
import { ATTACHMENT, COMMENT, TICKET } from '../model/record-types.js';
import { ticketAttachments, ticketComments } from '../model/tickets.js';
import { history } from '../../prophet/index.js';
import type { ConflictRow, LogEntry } from './views/replica-pages.js';
import type { HistoryRow, TicketView } from './views/ticket.js';

export const LOG_PAGE_SIZE = 20;

function historyRow(replica: Replica, keys: KeyRing, changeset: Changeset): HistoryRow {
  return {
    changeset,
    origin: `${changeset.original_sequence_no}@${replicaDisplayName(replica, changeset.original_source_uuid)}`,
    synced: changeset.original_source_uuid !== replica.uuid,
    signature: describeSignature(keys.checkStored(changeset)),
  };
}

export function ticketView(replica: Replica, id: string): TicketView {
  const ticket = replica.get(id, TICKET);
  const keys = new KeyRing(replica);
  return {
    ticket,
    fields: ticketFields(replica, ticket, true),
    conflicts: ticketConflicts(replica, ticket),
    comments: ticketComments(replica, ticket.uuid),
    attachments: ticketAttachments(replica, ticket.uuid),
    history: history(replica, ticket.uuid).map(({ changeset }) => historyRow(replica, keys, changeset)),
  };
}

/** A record as the log names it: a ticket by summary, a comment or attachment by its ticket. */
function recordLabel(replica: Replica, uuid: string, type: string): { luid?: number; label: string } {
  const row = replica.findRecord(uuid);
  if (!row) return { label: uuid.slice(0, 8) };
  if (type === TICKET) return { luid: row.luid, label: row.props.summary ?? '' };
  if (type === COMMENT || type === ATTACHMENT) {
    const ticket = row.props.ticket ? replica.findRecord(row.props.ticket) : undefined;
    return ticket ? { luid: row.luid, label: `on ticket ${ticket.luid}: ${ticket.props.summary ?? ''}` } : { luid: row.luid, label: '' };
  }
  return { luid: row.luid, label: '' };
}

/** One page of the global log, newest first. */
export function logPage(replica: Replica, page: number): { entries: LogEntry[]; page: number; pages: number } {
  const latest = replica.latestSequenceNo();
  const pages = Math.max(1, Math.ceil(latest / LOG_PAGE_SIZE));
  const p = Math.min(Math.max(page, 1), pages);
  const to = latest - (p - 1) * LOG_PAGE_SIZE;
  const from = Math.max(1, to - LOG_PAGE_SIZE + 1);
  const keys = new KeyRing(replica);
  const changesets = to >= 1 ? [...replica.changesets(from, to)].reverse() : [];
  const entries = changesets.map((cs) => ({
    ...historyRow(replica, keys, cs),
    records: Object.entries(cs.changes).map(([uuid, change]) => ({ uuid, type: change.record_type, ...recordLabel(replica, uuid, change.record_type) })),
  }));
  return { entries, page: p, pages };
}

/** The conflicts merges settled, newest first, with what a user may choose instead. */
export function conflictRows(replica: Replica): ConflictRow[] {
  return conflicts(replica)
    .reverse()
    .map((report) => {
      const row = replica.findRecord(report.record_uuid);
      const live = !!row?.live;
      const current = report.name === '' ? (live ? '1' : null) : (row?.props[report.name] ?? null);
      const alternatives = live && report.name !== '' ? [...new Set(report.candidates.filter((v): v is string => v !== null && v !== current))] : [];
      return { report, current, alternatives, ticketLuid: live && row!.type === TICKET ? row!.luid : undefined };
    });
}
