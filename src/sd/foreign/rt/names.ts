/**
 * RT's ids as SD shows them, looked up once per sync: users (transactions
 * name them by id, tickets by name) as email addresses, queues and custom
 * fields by name.
 */
import { ProphetError } from '../../../prophet/index.js';
import type { RtClient } from './client.js';
import { cfProp } from '../shared/values.js';
import type { Names, RtTransaction } from './mapping.js';

interface RawTicketRefs {
  Owner?: { id: string };
  Queue?: { id: string };
  Requestor?: Array<{ id: string }>;
  Cc?: Array<{ id: string }>;
  AdminCc?: Array<{ id: string }>;
  CustomFields?: Array<{ id: string; name: string }>;
}

/** RT's built-in users: nobody SD would name. */
const NOBODY = new Set(['Nobody', 'RT_System', '6', '1']);

export class RtNames implements Names {
  private readonly users = new Map<string, string | null>();
  private readonly queues = new Map<string, string>();
  private readonly customFields = new Map<string, string>();
  private queueCustomFields?: Map<string, string>;

  constructor(private readonly client: RtClient) {}

  user(id: string): string | null {
    if (NOBODY.has(id)) return null;
    return this.users.get(id) ?? id;
  }

  queue(id: string): string {
    return this.queues.get(id) ?? id;
  }

  customField(id: string): string {
    return this.customFields.get(id) ?? id;
  }

  /** The custom field a `cf-*` property stands for, among the queue's. */
  customFieldByProp(prop: string): string | undefined {
    return this.queueCustomFields?.get(prop);
  }

  /** Fails with one line when the queue does not exist (or this user cannot see it). */
  private queueId?: string;

  async checkQueue(name: string): Promise<void> {
    try {
      const queue = (await this.client.get(`queue/${encodeURIComponent(name)}`)) as { id: number; Name: string };
      this.queues.set(String(queue.id), queue.Name);
      this.queueId = String(queue.id);
    } catch (err) {
      if (err instanceof ProphetError && (err.code === 'not-found' || err.code === 'unauthorized')) {
        throw new ProphetError(`RT at ${this.client.server} has no queue '${name}' (or '${this.client.user}' may not see it)`, 'not-found');
      }
      throw err;
    }
  }

  /** The custom fields tickets of the queue (checked first) may have. */
  async loadCustomFields(): Promise<void> {
    if (this.queueCustomFields) return;
    const answer = (await this.client.get(`queue/${this.queueId}/customfields?fields=Name&per_page=100`)) as { items?: Array<{ id: string; Name: string }> };
    this.queueCustomFields = new Map();
    for (const cf of answer.items ?? []) {
      const name = cf.Name;
      this.customFields.set(String(cf.id), name);
      this.queueCustomFields.set(cfProp(name), name);
    }
  }

  /** Looks up every id a ticket and its transactions name that is not known yet. */
  async load(txns: RtTransaction[], ticket: RawTicketRefs): Promise<void> {
    const users = new Set<string>();
    const queues = new Set<string>();
    for (const cf of ticket.CustomFields ?? []) this.customFields.set(String(cf.id), cf.name);
    for (const u of [ticket.Owner, ...(ticket.Requestor ?? []), ...(ticket.Cc ?? []), ...(ticket.AdminCc ?? [])]) if (u) users.add(u.id);
    if (ticket.Queue) queues.add(ticket.Queue.id);
    for (const t of txns) {
      if (t.Field === 'Owner' || t.Type === 'AddWatcher' || t.Type === 'DelWatcher') for (const v of [t.OldValue, t.NewValue]) if (v) users.add(v);
      if (t.Field === 'Queue') for (const v of [t.OldValue, t.NewValue]) if (v) queues.add(v);
      if (t.Type === 'CustomField' && !this.customFields.has(t.Field)) {
        const cf = (await this.client.get(`customfield/${t.Field}`)) as { Name: string };
        this.customFields.set(t.Field, cf.Name);
      }
    }
    for (const id of users) {
      if (this.users.has(id) || NOBODY.has(id)) continue;
      try {
        const u = (await this.client.get(`user/${encodeURIComponent(id)}`)) as { EmailAddress?: string; Name?: string };
        const email = u.EmailAddress || u.Name || id;
        this.users.set(id, email);
        if (u.Name) this.users.set(u.Name, email);
      } catch (err) {
        if (!(err instanceof ProphetError) || err.code !== 'not-found') throw err;
        this.users.set(id, id);
      }
    }
    for (const id of queues) {
      if (this.queues.has(id)) continue;
      const q = (await this.client.get(`queue/${id}`)) as { Name: string };
      this.queues.set(id, q.Name);
    }
  }
}
