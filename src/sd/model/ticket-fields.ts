/** What a ticket page shows besides its records: its fields in display order, unresolved conflicts, replicas' names (the CLI and the web UI). */
import { showTime } from '../../prophet/index.js';
import type { RecordState, Replica } from '../../prophet/index.js';
import { readSdSettings } from './settings.js';

/** The properties config `ticket.common-props` or the setting names, in that order. */
export function commonTicketProps(replica: Replica): string[] {
  const configured = replica.config.get('ticket.common-props');
  if (configured) return configured.split(',').map((p) => p.trim()).filter(Boolean);
  return readSdSettings(replica).commonTicketProps;
}

/**
 * A ticket's properties in display order: `id`, then the common properties
 * that have a value; with `all`, every other property after them, sorted
 * by name (the original left their order unspecified).
 */
export function ticketFields(replica: Replica, ticket: RecordState, all: boolean): Array<[string, string]> {
  const common = commonTicketProps(replica).filter((p) => p !== 'id');
  const fields: Array<[string, string]> = [['id', `${ticket.luid} (${ticket.uuid})`]];
  for (const p of common) if (ticket.props[p]) fields.push([p, ticket.props[p]!]);
  if (all) for (const p of Object.keys(ticket.props).sort()) if (!common.includes(p)) fields.push([p, ticket.props[p]!]);
  // Times are shown one way everywhere: local time with its zone.
  return fields.map(([p, v]) => [p, p === 'created' ? showTime(v) : v]);
}

/** A replica's name in config (`[replica "name"]` whose uuid matches), else its uuid. */
export function replicaDisplayName(replica: Replica, uuid: string): string {
  for (const [key, value] of replica.config.withPrefix('replica.')) {
    if (key.endsWith('.uuid') && value === uuid && !key.startsWith('file:')) return key.slice(0, -'.uuid'.length);
  }
  return uuid;
}

/** Properties whose concurrent writes are still unresolved, with every value written. */
export function ticketConflicts(replica: Replica, ticket: RecordState): Array<{ prop: string; values: string[] }> {
  return replica.conflictedProperties(ticket.uuid).map((prop) => ({
    prop,
    values: replica.heads(ticket.uuid, prop).map((h) => h.value ?? '(deleted)'),
  }));
}
