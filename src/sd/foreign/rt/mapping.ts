/**
 * RT's tickets and transactions in SD's terms, both ways. Pure: the
 * connector fetches, this translates. RT reports a ticket's current state
 * and its transactions with old and new values; the state before each
 * transaction is found by rewinding from the current one, newest first
 * (as the original did), so a ticket's creation gets the values it was
 * created with and each later transaction the values it wrote.
 */
import type { Properties } from '../../../prophet/index.js';
import type { MapDefaults, MappedProps } from '../value-maps.js';
import { cfProp, joinList, splitList } from '../shared/values.js';

/** RT's `resolved` is SD's `closed`; other statuses are RT's own. Applied by the connector to what this file translates. */
export const RT_MAP_DEFAULTS: MapDefaults = { status: 'resolved=closed' };

/** The ticket properties whose values go through the maps. */
export const RT_MAPPED: MappedProps = { status: ['status'], priority: ['priority'], user: ['owner', 'reporter', 'cc', 'admin_cc'] };

/** SD property ← RT ticket field, for the fields that map one to one. */
export const FIELD_PROPS: Record<string, string> = {
  Subject: 'summary',
  Status: 'status',
  Owner: 'owner',
  Priority: 'priority',
  Queue: 'queue',
  Requestor: 'reporter',
  Cc: 'cc',
  AdminCc: 'admin_cc',
};

export const WATCHER_FIELDS = ['Requestor', 'Cc', 'AdminCc'];

/** Transaction types that carry nothing SD keeps: skipped without a word. */
const SILENT = new Set(['EmailRecord', 'CommentEmailRecord', 'SetWatcher', 'Told', 'Untake' /* recorded again as Set Owner */]);
/** Transaction types RT has and SD does not map: skipped with a notice. */
export function isSilent(type: string): boolean {
  return SILENT.has(type);
}

/** Fields of Set transactions SD does not keep (times, dates RT computes). */
const UNMAPPED_FIELDS = new Set(['Told', 'LastUpdated', 'Starts', 'Started', 'Resolved', 'TimeWorked', 'TimeLeft', 'TimeEstimated', 'InitialPriority', 'FinalPriority', 'Due', 'Type']);

/** An RT time as SD writes times: `2026-12-02 00:13:07` (UTC); RT's "never" is none. */
export function timeToSd(value: string | undefined): string | null {
  if (!value || value.startsWith('1970-01-01')) return null;
  return value.replace('T', ' ').replace(/Z$/, '').slice(0, 19);
}

/** One transaction as REST 2 lists it, with the fields the connector asks for. */
export interface RtTransaction {
  id: number;
  Type: string;
  Field: string;
  OldValue: string;
  NewValue: string;
  Created: string;
  creator: string | null;
}

/** What rewinding needs to know of RT's ids: user ids → emails, queue ids → names, custom field ids → names. */
export interface Names {
  user(id: string): string | null;
  queue(id: string): string;
  customField(id: string): string;
}

/** The SD property a transaction writes, or undefined when it writes none SD keeps. */
export function propOf(txn: RtTransaction, names: Names): string | undefined {
  if (txn.Type === 'CustomField') return cfProp(names.customField(txn.Field));
  if (txn.Type === 'AddWatcher' || txn.Type === 'DelWatcher') return FIELD_PROPS[txn.Field];
  if (['Set', 'Status', 'Give', 'Take', 'Steal'].includes(txn.Type)) return UNMAPPED_FIELDS.has(txn.Field) ? undefined : FIELD_PROPS[txn.Field || 'Owner'];
  return undefined;
}

/** A value of a field as SD writes it. */
function value(field: string, raw: string, names: Names): string | null {
  if (raw === '') return null;
  if (field === 'Owner') return names.user(raw);
  if (field === 'Queue') return names.queue(raw);
  return raw;
}

/**
 * The ticket's properties before `txn`, from those after it. Lists
 * (watchers, custom fields, which RT changes one value per transaction)
 * lose what the transaction added and get back what it removed.
 */
export function rewind(txn: RtTransaction, after: Properties, names: Names): Properties {
  const prop = propOf(txn, names);
  if (!prop) return after;
  const before = { ...after };
  const set = (v: string | null) => {
    if (v === null) delete before[prop];
    else before[prop] = v;
  };
  if (txn.Type === 'CustomField' || txn.Type === 'AddWatcher' || txn.Type === 'DelWatcher') {
    const watcher = txn.Type !== 'CustomField';
    const added = watcher ? (txn.NewValue ? names.user(txn.NewValue) : null) : txn.NewValue;
    const removed = watcher ? (txn.OldValue ? names.user(txn.OldValue) : null) : txn.OldValue;
    const list = splitList(after[prop]).filter((v) => v !== added);
    set(joinList(removed ? [...list, removed] : list));
  } else {
    set(value(txn.Field || 'Owner', txn.OldValue, names));
  }
  return before;
}

/** SD ticket properties (their values already mapped to RT's) → the fields of an RT create or update. */
export function ticketFields(props: Record<string, string | null>, customFieldNames: (prop: string) => string | undefined): { fields: Record<string, unknown>; sent: string[] } {
  const fields: Record<string, unknown> = {};
  const customFields: Record<string, string | string[]> = {};
  const sent: string[] = [];
  for (const [name, v] of Object.entries(props)) {
    const text = v ?? '';
    switch (name) {
      case 'summary':
        fields.Subject = text;
        break;
      case 'status':
        if (text) fields.Status = text;
        else continue;
        break;
      case 'owner':
        fields.Owner = text || 'Nobody';
        break;
      case 'priority':
        if (/^\d+$/.test(text)) fields.Priority = text;
        else continue;
        break;
      case 'reporter':
        fields.Requestor = splitList(text);
        break;
      case 'cc':
        fields.Cc = splitList(text);
        break;
      case 'admin_cc':
        fields.AdminCc = splitList(text);
        break;
      default: {
        const cf = name.startsWith('cf-') ? customFieldNames(name) : undefined;
        if (!cf) continue;
        const list = splitList(text);
        customFields[cf] = list.length === 1 ? list[0]! : list;
      }
    }
    sent.push(name);
  }
  if (Object.keys(customFields).length) fields.CustomFields = customFields;
  return { fields, sent };
}
