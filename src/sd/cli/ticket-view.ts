import { changeSeqs, describeSignature, history, jsonTime, KeyRing, showTime, signatureJson, timeValue } from '../../prophet/index.js';
import type { Changeset, RecordState, Replica } from '../../prophet/index.js';
import { attachmentSummary } from '../model/attachments.js';
import { replicaDisplayName, ticketConflicts, ticketFields } from '../model/ticket-fields.js';
import { ticketAttachments, ticketComments } from '../model/tickets.js';

const RULE = '='.repeat(80);
const THIN_RULE = '-'.repeat(80);

/** `%18.18s`: property names right-aligned in 18 columns, longer ones cut. */
export const field = (name: string) => name.slice(0, 18).padStart(18);

/** Property lines: aligned for people, plain `name: value` with --batch. */
export function fieldLines(fields: Array<[string, string]>, batch: boolean): string[] {
  return fields.map(([k, v]) => `${batch ? k : field(k)}: ${v}`);
}

export type HistoryItem =
  | { kind: 'changeset'; time: number; seq: number; changeset: Changeset; uuid: string }
  | { kind: 'comment'; time: number; seq: number; comment: RecordState };

const seconds = (text: string) => Math.floor((timeValue(text) ?? 0) / 1000);

/**
 * The ticket's changesets and its comments, merged by time, oldest first.
 * Comments carry their own (whole-second) creation time, which may come
 * from a foreign tracker; ties go by position in the log.
 */
export function ticketHistory(replica: Replica, ticketUuid: string): HistoryItem[] {
  const items: HistoryItem[] = history(replica, ticketUuid).map(({ changeset }) => ({
    kind: 'changeset',
    time: seconds(changeset.created),
    seq: changeset.sequence_no,
    changeset,
    uuid: ticketUuid,
  }));
  for (const comment of ticketComments(replica, ticketUuid)) {
    const seq = changeSeqs(replica, comment.luid)[0] ?? 0;
    items.push({ kind: 'comment', time: seconds(comment.props.created ?? ''), seq, comment });
  }
  return items.sort((a, b) => a.time - b.time || a.seq - b.seq);
}

function changeLine(name: string, oldValue: string | null, newValue: string | null): string {
  if (oldValue === null) return `${field(name)}: set to ${newValue}`;
  if (newValue === null) return `${field(name)}: ${oldValue} deleted`;
  return `${field(name)}: changed from ${oldValue} to ${newValue}`;
}

/** What kind of changeset this was, when it is not an ordinary edit: conflicts are shown, not hidden. */
function changesetKind(cs: Changeset): string {
  if (cs.is_resolution) return ' [conflict resolution]';
  if (cs.is_nullification) return ' [conflict: nullification]';
  return '';
}

/** Comment text from HTML trackers as rough plain text (reference §5.2). */
function plainText(content: string, contentType: string | undefined): string {
  if (contentType !== 'text/html') return content;
  return content
    .replace(/<\/?(p|pre)[^>]*>/gi, '\n')
    .replace(/<\/?b>/gi, '*')
    .replace(/<\/?i>/gi, '_')
    .replace(/<a\s[^>]*href=["']?([^"' >]+)["']?[^>]*>(.*?)<\/a>/gi, '$2 [link: $1 ]')
    .replace(/<[^>]+>/g, '')
    .replace(/\n{2,}/g, '\n');
}

/** Each change is marked with what its signature is worth (`[verified]`, `[unsigned]`...). */
export function historyLines(replica: Replica, items: HistoryItem[]): string[] {
  const out: string[] = [];
  const keys = new KeyRing(replica);
  for (const item of items) {
    const creator = item.kind === 'changeset' ? item.changeset.creator : item.comment.props.creator;
    const created = item.kind === 'changeset' ? item.changeset.created : (item.comment.props.created ?? '');
    const origin =
      item.kind === 'changeset'
        ? `${item.changeset.original_sequence_no}@${replicaDisplayName(replica, item.changeset.original_source_uuid)}${changesetKind(item.changeset)}`
        : `comment ${item.comment.luid}`;
    const mark = item.kind === 'changeset' ? `  [${describeSignature(keys.checkStored(item.changeset))}]` : '';
    out.push(RULE, `${creator ?? '(unknown)'} at ${showTime(created)}\t(${origin})${mark}`, THIN_RULE);
    if (item.kind === 'comment') {
      out.push(plainText(item.comment.props.content ?? '', item.comment.props.content_type), '');
      continue;
    }
    const change = item.changeset.changes[item.uuid]!;
    if (change.change_type === 'delete') out.push(`${field('ticket')}: deleted`);
    for (const name of Object.keys(change.prop_changes).sort()) {
      const pc = change.prop_changes[name]!;
      out.push(changeLine(name, pc.old_value, pc.new_value));
    }
    out.push('');
  }
  return out;
}

export interface ShowOptions {
  allProps: boolean;
  batch: boolean;
  withHistory: boolean;
}

/** `ticket show` (reference §5.2): metadata, attachments, then history merged with comments. */
export function showTicketLines(replica: Replica, ticket: RecordState, opts: ShowOptions): string[] {
  const out = ['', '= METADATA', '', ...fieldLines(ticketFields(replica, ticket, opts.allProps), opts.batch)];
  const conflicts = ticketConflicts(replica, ticket);
  if (conflicts.length) {
    out.push('', '= CONFLICTS', '');
    for (const c of conflicts) out.push(`${field(c.prop)}: ${c.values.join(' | ')} (shown: ${ticket.props[c.prop] ?? ''})`);
  }
  const attachments = ticketAttachments(replica, ticket.uuid);
  if (attachments.length) {
    out.push('', '= ATTACHMENTS', '');
    for (const a of attachments) out.push(attachmentLine(a));
  }
  if (opts.withHistory) out.push('', '= HISTORY', '', ...historyLines(replica, ticketHistory(replica, ticket.uuid)));
  return out;
}

/** `luid | name | content type | size`: the attachment summary line. */
export function attachmentLine(a: RecordState): string {
  const s = attachmentSummary(a.props);
  return `${a.luid} ${s.name ?? '-'} ${s.content_type ?? '-'} ${s.size} bytes`;
}

/** A record's properties for --json: its creation time in ISO 8601, like every time there. */
export function propsJson(props: Record<string, string>): Record<string, string> {
  return props.created === undefined ? props : { ...props, created: jsonTime(props.created) };
}

/** The --json shape of `ticket show`. */
export function showTicketJson(replica: Replica, ticket: RecordState) {
  const keys = new KeyRing(replica);
  return {
    luid: ticket.luid,
    uuid: ticket.uuid,
    props: propsJson(ticket.props),
    conflicts: ticketConflicts(replica, ticket),
    attachments: ticketAttachments(replica, ticket.uuid).map((a) => ({ luid: a.luid, uuid: a.uuid, props: attachmentSummary(a.props) })),
    comments: ticketComments(replica, ticket.uuid).map((c) => ({ luid: c.luid, uuid: c.uuid, props: propsJson(c.props) })),
    history: ticketHistory(replica, ticket.uuid).map((item) =>
      item.kind === 'comment'
        ? { kind: 'comment', luid: item.comment.luid, uuid: item.comment.uuid, creator: item.comment.props.creator ?? null, created: item.comment.props.created === undefined ? null : jsonTime(item.comment.props.created) }
        : {
            kind: 'changeset',
            sequence_no: item.changeset.sequence_no,
            id: `${item.changeset.original_sequence_no}@${item.changeset.original_source_uuid}`,
            creator: item.changeset.creator,
            created: item.changeset.created,
            is_resolution: item.changeset.is_resolution,
            is_nullification: item.changeset.is_nullification,
            ...signatureJson(keys.checkStored(item.changeset)),
            change_type: item.changeset.changes[item.uuid]!.change_type,
            prop_changes: Object.fromEntries(
              Object.entries(item.changeset.changes[item.uuid]!.prop_changes).map(([k, pc]) => [k, { old_value: pc.old_value, new_value: pc.new_value }]),
            ),
          },
    ),
  };
}

