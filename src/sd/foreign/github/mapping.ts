/**
 * GitHub's issue values in SD's terms, both ways. Every value map is in
 * one table (`GithubMapping`) with defaults, so it can be configured per
 * foreign replica; a value the table does not map is kept as it is on the
 * way in, and not sent (with a notice) on the way out. Pure.
 */
import { joinList, splitList } from '../values.js';

export type IssueState = 'open' | 'closed';

export interface GithubMapping {
  /** SD status ← GitHub state: `open`, or `closed:<state_reason>`; `closed` alone for a closed issue with no (or an unknown) reason. */
  statusIn: Record<string, string>;
  /** GitHub state and state_reason ← SD status. */
  statusOut: Record<string, { state: IssueState; reason?: string }>;
  /** Labels `<prefix><value>` that fill an SD property, by prefix (compared without case; `component: ui` → component `ui`). */
  labelProps: Record<string, string>;
  /** The SD property that holds the other labels (sorted, comma-joined). */
  labelsProp: string;
  /** GitHub login → SD email, both ways. */
  users: Record<string, string>;
  /** The email of a login not in `users`: `<login>@<userDomain>` (GitHub's own no-reply domain), and back. */
  userDomain: string;
}

export const DEFAULT_MAPPING: GithubMapping = {
  statusIn: { open: 'open', closed: 'closed', 'closed:completed': 'closed', 'closed:not_planned': 'rejected', 'closed:duplicate': 'duplicate' },
  statusOut: {
    new: { state: 'open' },
    open: { state: 'open' },
    stalled: { state: 'open' },
    closed: { state: 'closed', reason: 'completed' },
    rejected: { state: 'closed', reason: 'not_planned' },
    duplicate: { state: 'closed', reason: 'duplicate' },
  },
  labelProps: { 'component: ': 'component', 'priority: ': 'priority' },
  labelsProp: 'tags',
  users: {},
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
  constructor(readonly table: GithubMapping = DEFAULT_MAPPING) {}

  email(login: string | null | undefined): string | null {
    if (!login) return null;
    return this.table.users[login] ?? `${login}@${this.table.userDomain}`;
  }

  /** The login of an SD user, or undefined when none maps to it. */
  login(email: string): string | undefined {
    const mapped = Object.entries(this.table.users).find(([, e]) => e.toLowerCase() === email.toLowerCase());
    if (mapped) return mapped[0];
    const at = email.lastIndexOf('@');
    // GitHub's no-reply addresses may carry the user's id: 1234+octocat@users.noreply.github.com.
    if (at > 0 && email.slice(at + 1).toLowerCase() === this.table.userDomain.toLowerCase()) return email.slice(0, at).replace(/^\d+\+/, '');
    return undefined;
  }

  status(state: IssueState, reason: string | null): string {
    if (state === 'open') return this.table.statusIn.open ?? 'open';
    return this.table.statusIn[`closed:${reason}`] ?? (reason && reason !== 'completed' && reason !== 'reopened' ? reason : (this.table.statusIn.closed ?? 'closed'));
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
      if (hit) byProp.set(hit[1], [...(byProp.get(hit[1]) ?? []), label.slice(hit[0].length).trim()]);
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
    for (const [prefix, prop] of Object.entries(this.table.labelProps)) for (const value of splitList(record[prop])) labels.push(`${prefix}${value}`);
    return [...new Set(labels)].sort();
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
      const to = mapping.table.statusOut[value];
      if (!to) {
        out.unmapped.push(`status '${value}' has no GitHub state in the mapping; not sent`);
        continue;
      }
      out.fields.state = to.state;
      if (to.state === 'closed') out.fields.state_reason = to.reason ?? 'completed';
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
