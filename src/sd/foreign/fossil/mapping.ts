/**
 * Fossil tickets in SD's terms, both ways. Pure: the connector reads and
 * runs fossil, this translates. Field names map one to one except
 * `title` (SD's `summary`) and `subsystem` (SD's `component`); status,
 * priority and users go through the value maps; fields of a customized
 * ticket schema keep their names.
 */
import type { MapDefaults, ValueMaps } from '../value-maps.js';
import type { TicketChange } from './artifacts.js';

/**
 * Fossil's default ticket statuses and priorities (its ticket set-up's
 * choice lists) as SD's. A push of SD's `new` sends `Open`, of `rejected`
 * `Closed` (the first entry naming the SD value wins).
 */
export const FOSSIL_MAP_DEFAULTS: MapDefaults = {
  status: 'Open=open, Open=new, Closed=closed, Closed=rejected, Deferred=stalled, Verified=open, Review=open, Fixed=closed, Tested=closed',
  priority: 'Immediate=immediate, High=high, Medium=medium, Low=low, Zero=zero',
};

/** SD property ← Fossil ticket field, where the names differ. */
const RENAMED: Record<string, string> = { title: 'summary', subsystem: 'component' };
const FIELD_OF: Record<string, string> = Object.fromEntries(Object.entries(RENAMED).map(([f, p]) => [p, f]));

/** Fields that describe the change rather than the ticket: who wrote it and how its text is marked up. */
const META = new Set(['login', 'username', 'mimetype', 'private_contact']);
/** SD properties the ticket's history gives, never sent as fields. */
const DERIVED = new Set(['created', 'reporter', 'creator', 'original_replica']);

export const DESCRIPTION = 'comment';
export const APPENDED_COMMENT = 'icomment';

export const ticketPath = (uuid: string) => `/ticket/${uuid}`;
export const commentPath = (hash: string) => `/comment/${hash}`;
/** The ticket's `comment` field (its description): one SD comment, edited in place. */
export const descriptionPath = (uuid: string) => `/description/${uuid}`;

export function fossilTimeToSd(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, '').slice(0, 19);
}

/** Who made a change: the name SD's push wrote (`username`), else the artifact's user. */
export function authorOf(change: TicketChange, maps: ValueMaps): string | null {
  const named = change.fields.find((f) => f.name === 'username' && f.value !== '')?.value ?? change.user;
  return named === null ? null : maps.user.toSd(named);
}

/** A ticket field's SD property and value. */
function propOf(name: string, value: string, maps: ValueMaps): [string, string] {
  if (name === 'status') return ['status', maps.status.toSd(value)];
  if (name === 'priority') return ['priority', maps.priority.toSd(value)];
  return [RENAMED[name] ?? name, value];
}

export interface TranslatedChange {
  ticket: Record<string, string | null>;
  /** Text added to the ticket's comment thread (`+icomment`). */
  comments: string[];
  /** The ticket's description set (`comment`): replaces the previous one. */
  description?: string;
}

/** What one artifact writes, in SD's terms. */
export function translateChange(change: TicketChange, maps: ValueMaps): TranslatedChange {
  const out: TranslatedChange = { ticket: {}, comments: [] };
  for (const f of change.fields) {
    if (META.has(f.name)) continue;
    if (f.name === APPENDED_COMMENT || (f.append && f.name === DESCRIPTION)) {
      if (f.value.trim() !== '') out.comments.push(f.value);
    } else if (f.name === DESCRIPTION) out.description = f.value;
    else {
      const [prop, value] = propOf(f.name, f.value, maps);
      out.ticket[prop] = value === '' ? null : value;
    }
  }
  return out;
}

/**
 * SD ticket properties as `fossil ticket` fields, for the fields the
 * repository's ticket table has; `sent` names the properties that went.
 */
export function ticketFields(props: Record<string, string | null>, maps: ValueMaps, columns: ReadonlySet<string>): { fields: Array<[string, string]>; sent: string[] } {
  const fields: Array<[string, string]> = [];
  const sent: string[] = [];
  for (const [prop, v] of Object.entries(props)) {
    if (DERIVED.has(prop)) continue;
    const field = FIELD_OF[prop] ?? prop;
    if (!columns.has(field) || META.has(field) || field === DESCRIPTION || field === APPENDED_COMMENT) continue;
    const value = v ?? '';
    fields.push([field, field === 'status' ? maps.status.toForeign(value) : field === 'priority' ? maps.priority.toForeign(value) : value]);
    sent.push(prop);
  }
  return { fields, sent };
}
