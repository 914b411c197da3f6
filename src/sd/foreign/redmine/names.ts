/**
 * Redmine's ids as SD shows them, looked up once per sync: trackers,
 * statuses, priorities, the project's versions and categories by name,
 * users by email (else login, else display name), custom fields by name.
 */
import { ProphetError } from '../../../prophet/index.js';
import { cfProp } from '../shared/values.js';
import type { RedmineClient } from './client.js';
import type { ValueMaps } from '../value-maps.js';
import type { Ids, Kind, Names } from './mapping.js';

interface Named {
  id: number;
  name: string;
}

export interface RawUser {
  id: number;
  login?: string;
  mail?: string;
  firstname?: string;
  lastname?: string;
}

export interface RawCustomField {
  id: number;
  name: string;
  multiple?: boolean;
}

/** The project's own lists, for SD's settings: statuses in Redmine's order (with which are closed), versions, categories. */
export interface ProjectLists {
  statuses: Array<Named & { is_closed?: boolean }>;
  versions: Array<Named & { status?: string }>;
  categories: Named[];
}

type Listed = Exclude<Kind, 'text' | 'flag' | 'user'>;

export class RedmineNames implements Names, Ids {
  private readonly lists = new Map<Listed, Named[]>();
  private readonly users = new Map<string, string>();
  private readonly userIds = new Map<string, number>();
  private readonly customFields = new Map<string, RawCustomField>();
  private allCustomFields = false;

  constructor(
    private readonly client: RedmineClient,
    private readonly project: string,
    private readonly maps: () => ValueMaps,
  ) {}

  private static readonly PATHS: Record<Listed, [string, string]> = {
    tracker: ['trackers.json', 'trackers'],
    status: ['issue_statuses.json', 'issue_statuses'],
    priority: ['enumerations/issue_priorities.json', 'issue_priorities'],
    version: ['versions.json', 'versions'],
    category: ['issue_categories.json', 'issue_categories'],
  };

  private async list(kind: Listed): Promise<Named[]> {
    let list = this.lists.get(kind);
    if (!list) {
      const [path, key] = RedmineNames.PATHS[kind];
      const projectPath = kind === 'version' || kind === 'category' ? `projects/${encodeURIComponent(this.project)}/${path}?limit=100` : path;
      list = ((await this.client.get(projectPath)) as Record<string, Named[]>)[key] ?? [];
      this.lists.set(kind, list);
    }
    return list;
  }

  /** The project's statuses, versions and categories (three requests, once per sync). */
  async projectLists(): Promise<ProjectLists> {
    const [statuses, versions, categories] = [await this.list('status'), await this.list('version'), await this.list('category')];
    return { statuses, versions, categories };
  }

  /** Every list a translation may name, and the users `ids` names. */
  async load(userIds: Iterable<string>): Promise<void> {
    for (const kind of Object.keys(RedmineNames.PATHS) as Listed[]) await this.list(kind);
    for (const id of userIds) {
      if (this.users.has(id)) continue;
      try {
        this.learnUser(((await this.client.get(`users/${id}.json`)) as { user: RawUser }).user);
      } catch (err) {
        // A user this key may not see (or one deleted since): kept by id.
        if (!(err instanceof ProphetError) || (err.code !== 'not-found' && err.code !== 'unauthorized')) throw err;
        this.users.set(id, `redmine-user-${id}`);
      }
    }
  }

  /** The users map first, then the account's own email, login, name. */
  learnUser(u: RawUser): void {
    const login = u.login ?? '';
    const mapped = login ? this.maps().user.entries.find((e) => e.foreign.toLowerCase() === login.toLowerCase())?.sd : undefined;
    const shown = mapped ?? u.mail ?? (login || [u.firstname, u.lastname].filter(Boolean).join(' ') || `redmine-user-${u.id}`);
    this.users.set(String(u.id), shown);
    this.userIds.set(shown.toLowerCase(), u.id);
    if (login) this.userIds.set(login.toLowerCase(), u.id);
  }

  learnCustomFields(fields: RawCustomField[] | undefined): void {
    for (const cf of fields ?? []) this.customFields.set(String(cf.id), cf);
  }

  name(kind: Kind, id: string): string | null {
    if (kind === 'user') return this.users.get(id) ?? `redmine-user-${id}`;
    const found = this.lists.get(kind as Listed)?.find((n) => String(n.id) === id);
    return found?.name ?? `#${id}`;
  }

  multiple(cf: string): boolean {
    return this.customFields.get(cf)?.multiple === true;
  }

  customField(id: string): string {
    return this.customFields.get(id)?.name ?? id;
  }

  names(kind: Kind): string[] {
    return (this.lists.get(kind as Listed) ?? []).map((n) => n.name);
  }

  id(kind: Kind, name: string): number | undefined {
    if (kind === 'user') return this.userIds.get(name.toLowerCase());
    return this.lists.get(kind as Listed)?.find((n) => n.name === name)?.id;
  }

  customFieldByProp(prop: string): { id: number; multiple: boolean } | undefined {
    const cf = [...this.customFields.values()].find((f) => cfProp(f.name) === prop);
    return cf && { id: cf.id, multiple: cf.multiple === true };
  }

  /** Before a push: the lists, every custom field (an admin's key sees them all), the users named. */
  async prepare(users: string[]): Promise<void> {
    await this.load([]);
    if (!this.allCustomFields) {
      this.allCustomFields = true;
      try {
        const answer = (await this.client.get('custom_fields.json')) as { custom_fields?: Array<RawCustomField & { customized_type?: string }> };
        this.learnCustomFields(answer.custom_fields?.filter((cf) => cf.customized_type === 'issue'));
      } catch (err) {
        // Not an admin: the fields seen on issues pulled are what is known.
        if (!(err instanceof ProphetError) || err.code !== 'unauthorized') throw err;
      }
    }
    for (const user of users) {
      const key = user.toLowerCase();
      if (this.userIds.has(key)) continue;
      const login = this.maps().user.toForeign(user);
      try {
        const found = ((await this.client.get(`users.json?name=${encodeURIComponent(login)}&limit=5`)) as { users?: RawUser[] }).users ?? [];
        const match = found.find((u) => u.login?.toLowerCase() === login.toLowerCase() || u.mail?.toLowerCase() === login.toLowerCase());
        if (match) {
          this.learnUser(match);
          this.userIds.set(key, match.id);
        }
      } catch (err) {
        // Only admins may search users: one this key cannot find stays unsent.
        if (!(err instanceof ProphetError) || err.code !== 'unauthorized') throw err;
      }
    }
  }
}
