/**
 * Redmine's issues and journals in SD's terms, both ways. Pure: the
 * connector fetches, this translates. Redmine reports an issue's current
 * state and its journals, whose `details` say what each changed (old and
 * new value, by id); the state before each journal is found by rewinding
 * from the current one, newest first, so the issue's creation gets the
 * values it was created with and each journal the values it wrote.
 */
import type { Properties } from '../../../prophet/index.js';
import { cfProp, joinList, splitList } from '../shared/values.js';
import type { MapDefaults, ValueMap, ValueMaps } from '../value-maps.js';

/**
 * The value maps' defaults (value-maps.ts: `REDMINE=SD`, a replica's
 * config adds its own), used both ways. A value no entry names is kept as
 * it is (never dropped), and an SD value no entry names is matched to
 * Redmine's names without regard to case. The user map takes a Redmine
 * login to an SD email, for people whose Redmine account has another
 * address (or hides it).
 */
export const REDMINE_MAP_DEFAULTS: MapDefaults = {
  status: 'New=new, In Progress=open, Feedback=stalled, Resolved=resolved, Closed=closed, Rejected=rejected',
  priority: 'Low=low, Normal=normal, High=high, Urgent=urgent, Immediate=immediate',
};

/** An SD value as one of Redmine's `names`: through the map, else the name that matches ignoring case; undefined when Redmine has none. */
export function toRedmine(map: ValueMap | undefined, value: string, names: Iterable<string>): string | undefined {
  const all = [...names];
  const mapped = map?.entries.find((e) => e.sd === value && all.includes(e.foreign));
  return mapped?.foreign ?? all.find((n) => n === value) ?? all.find((n) => n.toLowerCase() === value.toLowerCase());
}

/** What an attribute's value is, for turning Redmine's ids into names. */
export type Kind = 'text' | 'tracker' | 'status' | 'priority' | 'user' | 'category' | 'version' | 'flag';

interface Field {
  prop: string;
  kind: Kind;
  /** Sent to Redmine when SD changes it (else pulled only). */
  pushed: boolean;
}

/** SD property ← Redmine issue attribute (as journal details name it). */
export const FIELDS: Record<string, Field> = {
  subject: { prop: 'summary', kind: 'text', pushed: true },
  description: { prop: 'description', kind: 'text', pushed: true },
  tracker_id: { prop: 'tracker', kind: 'tracker', pushed: true },
  status_id: { prop: 'status', kind: 'status', pushed: true },
  priority_id: { prop: 'priority', kind: 'priority', pushed: true },
  assigned_to_id: { prop: 'owner', kind: 'user', pushed: true },
  author_id: { prop: 'reporter', kind: 'user', pushed: false },
  category_id: { prop: 'component', kind: 'category', pushed: true },
  fixed_version_id: { prop: 'milestone', kind: 'version', pushed: true },
  start_date: { prop: 'starts', kind: 'text', pushed: true },
  due_date: { prop: 'due', kind: 'text', pushed: true },
  done_ratio: { prop: 'done_ratio', kind: 'text', pushed: true },
  estimated_hours: { prop: 'estimated_hours', kind: 'text', pushed: true },
  parent_id: { prop: 'parent', kind: 'text', pushed: false },
  is_private: { prop: 'private', kind: 'flag', pushed: false },
  project_id: { prop: 'project', kind: 'text', pushed: false },
};

/** Attributes Redmine records that SD does not keep: skipped without a word. */
const SILENT = new Set(['lock_version', 'closed_on', 'updated_on']);

/** What translating needs to know of Redmine's ids: names of trackers, statuses..., users' emails. */
export interface Names {
  name(kind: Kind, id: string): string | null;
  /** Whether custom field `id` holds several values. */
  multiple(cf: string): boolean;
  customField(id: string): string;
}

/** One change a journal records. */
export interface Detail {
  property: string;
  name: string;
  old_value?: string | null;
  new_value?: string | null;
}

/** The SD property a detail writes, or undefined when SD keeps none for it. */
export function propOf(detail: Detail, names: Names): string | undefined {
  if (detail.property === 'attr') return FIELDS[detail.name]?.prop;
  if (detail.property === 'cf') return cfProp(names.customField(detail.name));
  return undefined;
}

/** Whether a detail is one SD knows of (mapped, a file, or silently ignored): the others are noticed. */
export function isKnown(detail: Detail): boolean {
  return (detail.property === 'attr' && (detail.name in FIELDS || SILENT.has(detail.name))) || detail.property === 'cf' || detail.property === 'attachment';
}

/** A value of an attribute as SD writes it. */
export function valueToSd(kind: Kind, raw: string | null | undefined, names: Names, maps: ValueMaps): string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (kind === 'text') return raw;
  if (kind === 'flag') return raw === '1' || raw === 'true' ? 'yes' : null;
  const name = names.name(kind, raw);
  if (name === null) return null;
  if (kind === 'status') return maps.status.toSd(name);
  if (kind === 'priority') return maps.priority.toSd(name);
  return name;
}

/**
 * The issue's properties before a journal, from those after it. Custom
 * fields with several values (which Redmine changes one value per detail)
 * lose what the detail added and get back what it removed.
 */
export function rewind(details: Detail[], after: Properties, names: Names, maps: ValueMaps): Properties {
  const before = { ...after };
  for (const d of details) {
    const prop = propOf(d, names);
    if (!prop) continue;
    const set = (v: string | null) => {
      if (v === null) delete before[prop];
      else before[prop] = v;
    };
    if (d.property === 'cf' && names.multiple(d.name)) {
      const list = splitList(before[prop]).filter((v) => v !== d.new_value);
      set(joinList(d.old_value ? [...list, d.old_value] : list));
    } else if (d.property === 'cf') set(d.old_value || null);
    else set(valueToSd(FIELDS[d.name]!.kind, d.old_value, names, maps));
  }
  return before;
}

/** What pushing needs of Redmine's names: the id of a tracker, status... by its name; a user's id by SD email. */
export interface Ids {
  names(kind: Kind): string[];
  id(kind: Kind, name: string): number | undefined;
  /** A custom field by its SD property: its id and whether it holds several values. */
  customFieldByProp(prop: string): { id: number; multiple: boolean } | undefined;
}

/** SD ticket properties → the fields of a Redmine issue create or update; what could not be sent is named in `unsent`. */
export function issueFields(props: Record<string, string | null>, ids: Ids, maps: ValueMaps): { fields: Record<string, unknown>; sent: string[]; unsent: string[] } {
  const fields: Record<string, unknown> = {};
  const customFields: Array<{ id: number; value: string | string[] }> = [];
  const sent: string[] = [];
  const unsent: string[] = [];
  const byProp = new Map(Object.entries(FIELDS).map(([attr, f]) => [f.prop, { attr, ...f }]));
  for (const [name, value] of Object.entries(props)) {
    const text = value ?? '';
    const field = byProp.get(name);
    if (field?.pushed) {
      if (field.kind === 'text') fields[field.attr] = name === 'due' || name === 'starts' ? text.slice(0, 10) : text;
      else if (text === '') fields[field.attr] = '';
      else {
        const map = field.kind === 'status' ? maps.status : field.kind === 'priority' ? maps.priority : undefined;
        const redmineName = field.kind === 'user' ? text : toRedmine(map, text, ids.names(field.kind));
        const id = redmineName === undefined ? undefined : ids.id(field.kind, redmineName);
        if (id === undefined) {
          unsent.push(`${name} '${text}'`);
          continue;
        }
        fields[field.attr] = id;
      }
    } else if (name.startsWith('cf-') && ids.customFieldByProp(name)) {
      const cf = ids.customFieldByProp(name)!;
      customFields.push({ id: cf.id, value: cf.multiple ? splitList(text) : text });
    } else continue;
    sent.push(name);
  }
  if (customFields.length) fields.custom_fields = customFields;
  return { fields, sent, unsent };
}
