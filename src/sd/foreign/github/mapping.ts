/**
 * GitHub's issue values in SD's terms, both ways. Statuses, priorities and
 * users go through the shared value maps (value-maps.ts), with the
 * defaults below, so a replica's config can change them; labels fill SD
 * properties by prefix. A value no map names is kept as it is on the way
 * in, and not sent (with a notice) when GitHub has no place for it. Pure.
 */
import { joinList, splitList } from '../shared/values.js';
import type { MapDefaults, ValueMaps } from '../value-maps.js';

export type IssueState = 'open' | 'closed';

/**
 * The maps' defaults. A status's GitHub side is its state, `open` or
 * `closed`, or `closed:<state_reason>`; the first entry naming an SD value
 * is what a push sends, so `open` comes before the SD statuses it also
 * stands for. The user map takes a login to an email; a login it does not
 * name is `<login>@users.noreply.github.com`, and back.
 */
export const GITHUB_MAP_DEFAULTS: MapDefaults = {
  status: 'open=open, open=new, open=stalled, closed:completed=closed, closed=closed, closed:not_planned=rejected, closed:duplicate=duplicate',
};

/** Where labels go: `<prefix><value>` fills an SD property (prefixes compared without case: `component: ui` → component `ui`); the others fill `labelsProp`. */
export interface LabelRules {
  labelProps: Record<string, string>;
  labelsProp: string;
  /** The email of a login the user map does not name: `<login>@<userDomain>` (GitHub's own no-reply domain), and back. */
  userDomain: string;
}

export const DEFAULT_LABELS: LabelRules = {
  labelProps: { 'component: ': 'component', 'priority: ': 'priority' },
  labelsProp: 'tags',
  userDomain: 'users.noreply.github.com',
};

/** What of an issue SD keeps, as GitHub says it (names, not objects). */
export interface IssueValues {
  title: string;
  body: string | null;
  state: IssueState;
  stateReason: string | null;
  labels: string[];
  assignees: string[];
  milestone: string | null;
}

export class Mapping {
  constructor(
    readonly maps: ValueMaps,
    readonly table: LabelRules = DEFAULT_LABELS,
  ) {}

  email(login: string | null | undefined): string | null {
    if (!login) return null;
    const mapped = this.maps.user.toSd(login);
    return mapped !== login ? mapped : `${login}@${this.table.userDomain}`;
  }

  /** The login of an SD user, or undefined when none maps to it. */
  login(email: string): string | undefined {
    const mapped = this.maps.user.entries.find((e) => e.sd.toLowerCase() === email.toLowerCase());
    if (mapped) return mapped.foreign;
    const at = email.lastIndexOf('@');
    // GitHub's no-reply addresses may carry the user's id: 1234+octocat@users.noreply.github.com.
    if (at > 0 && email.slice(at + 1).toLowerCase() === this.table.userDomain.toLowerCase()) return email.slice(0, at).replace(/^\d+\+/, '');
    return undefined;
  }

  status(state: IssueState, reason: string | null): string {
    if (state === 'open') return this.maps.status.toSd('open');
    const withReason = `closed:${reason}`;
    const mapped = this.maps.status.toSd(withReason);
    if (mapped !== withReason) return mapped;
    return reason && reason !== 'completed' && reason !== 'reopened' ? reason : this.maps.status.toSd('closed');
  }

  /** The GitHub state (and reason) of an SD status, or undefined when it has none. */
  state(status: string): { state: IssueState; reason?: string } | undefined {
    const foreign = this.maps.status.toForeign(status);
    if (foreign === 'open') return { state: 'open' };
    const closed = /^closed(?::(.+))?$/.exec(foreign);
    return closed ? { state: 'closed', reason: closed[1] ?? 'completed' } : undefined;
  }

  /** An issue's values as SD ticket properties (null: unset). */
  ticketProps(v: IssueValues): Record<string, string | null> {
    const props: Record<string, string | null> = {
      summary: v.title,
      description: v.body === '' ? null : v.body,
      status: this.status(v.state, v.stateReason),
      owner: joinList(v.assignees.map((a) => this.email(a) ?? '')),
      milestone: v.milestone,
    };
    const rest: string[] = [];
    const byProp = new Map<string, string[]>();
    for (const label of v.labels) {
      const hit = Object.entries(this.table.labelProps).find(([prefix]) => label.toLowerCase().startsWith(prefix.toLowerCase()) && label.length > prefix.length);
      if (hit) byProp.set(hit[1], [...(byProp.get(hit[1]) ?? []), this.labelValueToSd(hit[1], label.slice(hit[0].length).trim())]);
      else rest.push(label);
    }
    for (const prop of Object.values(this.table.labelProps)) props[prop] = joinList(byProp.get(prop) ?? []);
    props[this.table.labelsProp] = joinList(rest);
    return props;
  }

  /** The SD properties labels fill: a change to any of them sends the whole label set. */
  labelOwners(): string[] {
    return [...Object.values(this.table.labelProps), this.table.labelsProp];
  }

  /** The labels of a ticket, as GitHub names them. */
  labels(record: Record<string, string | null | undefined>): string[] {
    const labels = splitList(record[this.table.labelsProp]);
    for (const [prefix, prop] of Object.entries(this.table.labelProps)) for (const value of splitList(record[prop])) labels.push(`${prefix}${prop === 'priority' ? this.maps.priority.toForeign(value) : value}`);
    return [...new Set(labels)].sort();
  }

  /** A priority label's value goes through the priority map. */
  private labelValueToSd(prop: string, value: string): string {
    return prop === 'priority' ? this.maps.priority.toSd(value) : value;
  }
}

/** An issue edit for GitHub's REST API, from SD properties; what could not be mapped is named. */
export interface IssueFields {
  fields: { title?: string; body?: string; state?: IssueState; state_reason?: string | null; labels?: string[]; assignees?: string[] };
  /** A milestone by title (the connector looks its number up); null removes it. */
  milestone?: string | null;
  /** The SD properties sent. */
  sent: string[];
  /** One line each: a value not sent. */
  unmapped: string[];
}

/** The fields that carry `changed` (new values, null unset) of the ticket now `record`. */
export function issueFields(changed: Record<string, string | null>, record: Record<string, string | null | undefined>, mapping: Mapping): IssueFields {
  const out: IssueFields = { fields: {}, sent: [], unmapped: [] };
  const now = { ...record, ...changed };
  for (const [name, value] of Object.entries(changed)) {
    if (name === 'summary' && value) out.fields.title = value;
    else if (name === 'description') out.fields.body = value ?? '';
    else if (name === 'status' && value) {
      const to = mapping.state(value);
      if (!to) {
        out.unmapped.push(`status '${value}' has no GitHub state in the mapping; not sent`);
        continue;
      }
      out.fields.state = to.state;
      if (to.state === 'closed') out.fields.state_reason = to.reason;
    } else if (name === 'owner') {
      const logins: string[] = [];
      for (const email of splitList(value)) {
        const login = mapping.login(email);
        if (login) logins.push(login);
        else out.unmapped.push(`owner '${email}' has no GitHub login in the mapping; not assigned`);
      }
      out.fields.assignees = logins;
    } else if (name === 'milestone') out.milestone = value;
    else if (mapping.labelOwners().includes(name)) out.fields.labels = mapping.labels(now);
    else continue;
    out.sent.push(name);
  }
  return out;
}
