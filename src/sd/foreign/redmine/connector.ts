/**
 * Redmine as a foreign replica, over its REST API (JSON). A pull: one
 * search for the project's issues updated since the window, then per
 * changed issue one request (the issue with its journals and attachments)
 * and one per new file; the project's statuses, versions and categories
 * (three requests) become SD's settings. Trackers, priorities and users
 * are looked up once per sync, only when an issue changed.
 *
 * Transaction numbers: an issue's creation is 1, journal N is N + 1
 * (journal ids grow over the whole server, so they order an issue's
 * history and never collide with the creation).
 */
import { createHash } from 'node:crypto';
import { describeBytes, ProphetError, redactUrls, SETTINGS_TYPE, type Applied, type ForeignConnector, type ForeignContext, type LocalChange, type Properties, type RemoteChange, type RemoteHistory, type RemoteRef, type RemoteTransaction } from '../../../prophet/index.js';
import { attachmentBytes } from '../../model/attachments.js';
import { ATTACHMENT, COMMENT, TICKET } from '../../model/record-types.js';
import { SD_SETTINGS } from '../../model/settings.js';
import { unsettled } from '../shared/tracker-http.js';
import { cfProp, difference, joinList } from '../shared/values.js';
import { RedmineClient } from './client.js';
import type { ValueMaps } from '../value-maps.js';
import { FIELDS, isKnown, issueFields, rewind, type Detail } from './mapping.js';
import { RedmineNames, type ProjectLists, type RawCustomField } from './names.js';
import type { RedmineUrl } from './url.js';

const PAGE = 100;
const CREATION = 1;

interface Ref {
  id: number;
  name: string;
}

interface RawAttachment {
  id: number;
  filename: string;
  filesize: number;
  content_type?: string;
  author?: Ref;
  created_on: string;
}

interface RawJournal {
  id: number;
  user?: Ref;
  notes?: string | null;
  private_notes?: boolean;
  created_on: string;
  details?: Detail[];
}

interface RawIssue {
  id: number;
  project?: Ref;
  tracker?: Ref;
  status?: Ref;
  priority?: Ref;
  author?: Ref;
  assigned_to?: Ref;
  category?: Ref;
  fixed_version?: Ref;
  parent?: { id: number };
  subject?: string;
  description?: string | null;
  start_date?: string | null;
  due_date?: string | null;
  done_ratio?: number | null;
  estimated_hours?: number | null;
  is_private?: boolean;
  custom_fields?: Array<RawCustomField & { value: string | string[] | null }>;
  created_on: string;
  updated_on: string;
  attachments?: RawAttachment[];
  journals?: RawJournal[];
}

/** An SD time from Redmine's: `2026-12-02 03:04:37` (UTC). */
function timeToSd(value: string): string {
  return value.replace('T', ' ').replace(/Z$/, '').slice(0, 19);
}

export class RedmineConnector implements ForeignConnector {
  readonly identityUrl: string;
  readonly recordBase: string;
  readonly description: string;
  readonly searched = 'issues';
  readonly recordTypes = [TICKET, COMMENT, ATTACHMENT];
  private readonly names: RedmineNames;
  private readonly settingsPath: string;
  private me?: number;
  private lists?: ProjectLists;

  constructor(
    private readonly url: RedmineUrl,
    private readonly client: RedmineClient,
    private readonly mapsInForce: () => ValueMaps,
  ) {
    this.identityUrl = `${url.server}projects/${url.project}`;
    this.recordBase = url.server.replace(/\/$/, '');
    this.description = redactUrls(`redmine:${this.identityUrl}`);
    this.names = new RedmineNames(client, url.project, () => this.maps);
    this.settingsPath = `/projects/${url.project}/settings`;
  }

  requests(): number {
    return this.client.requests;
  }

  private cachedMaps?: ValueMaps;
  /** The maps in force, read once: the replica's config over the defaults. */
  private get maps(): ValueMaps {
    return (this.cachedMaps ??= this.mapsInForce());
  }

  private get project(): string {
    return encodeURIComponent(this.url.project);
  }

  /** Checks the key (an unknown key is anonymous to Redmine, and anonymous may read public projects) and the project. */
  async open(): Promise<void> {
    if (this.me !== undefined) return;
    const me = (await this.client.get('users/current.json')) as { user?: { id: number } } | null;
    if (!me?.user) throw new ProphetError(`${this.url.server} answered users/current.json without a user: is it a Redmine server?`, 'http');
    this.me = me.user.id;
    try {
      await this.client.get(`projects/${this.project}.json`);
    } catch (err) {
      if (err instanceof ProphetError && (err.code === 'not-found' || err.code === 'unauthorized')) {
        throw new ProphetError(`Redmine at ${this.url.server} has no project '${this.url.project}' (or the key's user may not see it): use the identifier in the project's address, /projects/IDENTIFIER`, 'not-found');
      }
      throw err;
    }
  }

  async find(window: string | undefined): Promise<RemoteRef[]> {
    const found: RemoteRef[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const params = new URLSearchParams({ project_id: this.url.project, subproject_id: '!*', status_id: '*', sort: 'id', limit: String(PAGE), offset: String(offset) });
      // Redmine compares times to the second, inclusive: the issues of the window's own second come back, and cost nothing (their `seen` matches) once their second is over.
      if (window) params.set('updated_on', `>=${window}`);
      const page = (await this.client.get(`issues.json?${params}`)) as { issues: Array<{ id: number; updated_on: string }>; total_count?: number };
      for (const issue of page.issues) found.push({ path: `/issues/${issue.id}`, updated: issue.updated_on, unsettled: unsettled(issue.updated_on, this.client.answeredAt) });
      if (!page.issues.length || offset + PAGE >= (page.total_count ?? 0)) break;
    }
    this.lists = await this.names.projectLists();
    found.push({ path: this.settingsPath, updated: createHash('sha256').update(JSON.stringify(this.settings(this.lists))).digest('hex'), digest: true });
    return found;
  }

  /** SD's settings from the project's lists: its statuses (those not closed are active), versions as milestones, categories as components. */
  private settings(lists: ProjectLists): Record<string, string[]> {
    const status = (name: string) => this.maps.status.toSd(name);
    return {
      statuses: lists.statuses.map((s) => status(s.name)),
      active_statuses: lists.statuses.filter((s) => !s.is_closed).map((s) => status(s.name)),
      default_status: lists.statuses.slice(0, 1).map((s) => status(s.name)),
      milestones: lists.versions.map((v) => v.name),
      default_milestone: [],
      components: lists.categories.map((c) => c.name),
      default_component: [],
    };
  }

  async history(ref: RemoteRef, after: number, ctx: ForeignContext): Promise<RemoteHistory> {
    if (ref.path === this.settingsPath) return this.settingsHistory(after);
    const id = ref.path.slice('/issues/'.length);
    let issue: RawIssue;
    try {
      issue = ((await this.client.get(`issues/${id}.json?include=journals,attachments`)) as { issue: RawIssue }).issue;
    } catch (err) {
      if (err instanceof ProphetError && err.code === 'not-found') throw new ProphetError(`issue ${id} no longer exists in Redmine at ${this.url.server} (deleted remotely); nothing of it was pulled`, 'not-found');
      throw err;
    }
    const journals = (issue.journals ?? []).sort((a, b) => a.id - b.id);
    const last = journals.reduce((max, j) => Math.max(max, j.id + 1), CREATION);
    if (last <= after) return { transactions: [], last };
    this.names.learnCustomFields(issue.custom_fields);
    const users = new Set<string>();
    for (const u of [issue.author, issue.assigned_to, ...journals.map((j) => j.user), ...(issue.attachments ?? []).map((a) => a.author)]) if (u) users.add(String(u.id));
    for (const d of journals.flatMap((j) => j.details ?? [])) if (d.property === 'attr' && FIELDS[d.name]?.kind === 'user') for (const v of [d.old_value, d.new_value]) if (v) users.add(v);
    await this.names.load(users);
    return { transactions: await this.translate(ref.path, issue, journals, after, ctx), last };
  }

  private settingsHistory(after: number): RemoteHistory {
    const seq = after + 1;
    const changes: RemoteChange[] = Object.entries(this.settings(this.lists!)).map(([label, value]) => ({
      path: `${this.settingsPath}/${label}`,
      uuid: SD_SETTINGS[label]!.uuid,
      recordType: SETTINGS_TYPE,
      changeType: 'update',
      props: { content: JSON.stringify(value), label },
    }));
    return { transactions: [{ seq, author: null, created: new Date().toISOString(), changes }], last: seq };
  }

  /** An issue's current state in SD's terms. */
  private state(issue: RawIssue): Properties {
    const user = (r?: Ref) => (r ? this.names.name('user', String(r.id)) : null);
    const props: Record<string, string | null> = {
      summary: issue.subject ?? null,
      description: issue.description || null,
      tracker: issue.tracker?.name ?? null,
      status: issue.status ? this.maps.status.toSd(issue.status.name) : null,
      priority: issue.priority ? this.maps.priority.toSd(issue.priority.name) : null,
      owner: user(issue.assigned_to),
      reporter: user(issue.author),
      component: issue.category?.name ?? null,
      milestone: issue.fixed_version?.name ?? null,
      starts: issue.start_date ?? null,
      due: issue.due_date ?? null,
      done_ratio: issue.done_ratio === null || issue.done_ratio === undefined ? null : String(issue.done_ratio),
      estimated_hours: issue.estimated_hours === null || issue.estimated_hours === undefined ? null : String(issue.estimated_hours),
      parent: issue.parent ? String(issue.parent.id) : null,
      private: issue.is_private ? 'yes' : null,
      project: issue.project?.name ?? null,
      created: timeToSd(issue.created_on),
    };
    for (const cf of issue.custom_fields ?? []) props[cfProp(cf.name)] = Array.isArray(cf.value) ? joinList(cf.value) : cf.value || null;
    return Object.fromEntries(Object.entries(props).filter((e): e is [string, string] => e[1] !== null && e[1] !== ''));
  }

  /** The creation and the journals after `after`, oldest first, each with the state it left: rewound from the current state, newest first. */
  private async translate(path: string, issue: RawIssue, journals: RawJournal[], after: number, ctx: ForeignContext): Promise<RemoteTransaction[]> {
    const states: Properties[] = [];
    let state = this.state(issue);
    const project = issue.project?.name;
    for (let i = journals.length - 1; i >= 0; i--) {
      states[i] = state;
      state = rewind(journals[i]!.details ?? [], state, this.names, this.maps);
      // The project is named, not numbered, in SD: a move is kept by name.
      if (project !== undefined && state.project?.startsWith('#')) state.project = project;
    }
    const ticket = ctx.uuidOf(path);
    const files = new Map((issue.attachments ?? []).map((a) => [String(a.id), a]));
    const inJournals = new Set(journals.flatMap((j) => (j.details ?? []).filter((d) => d.property === 'attachment').map((d) => d.name)));
    const user = (r?: Ref) => (r ? this.names.name('user', String(r.id)) : null);
    const out: RemoteTransaction[] = [];
    const wanted = (seq: number) => seq > after && !ctx.isOurs(path, seq);
    if (wanted(CREATION)) {
      const changes: RemoteChange[] = [{ path, recordType: TICKET, changeType: 'add', props: state }];
      for (const file of files.values()) if (!inJournals.has(String(file.id))) changes.push(await this.file(ticket, file));
      out.push({ seq: CREATION, author: user(issue.author), created: issue.created_on, changes });
    }
    for (const [i, journal] of journals.entries()) {
      const seq = journal.id + 1;
      if (!wanted(seq)) continue;
      const before = i > 0 ? states[i - 1]! : state;
      const changes: RemoteChange[] = [];
      const props = difference(before, states[i]!);
      if (Object.keys(props).length) changes.push({ path, recordType: TICKET, changeType: 'update', props });
      const author = user(journal.user);
      // A private note is for the project's members: an SD replica is copied to anyone, so it stays in Redmine.
      if (journal.private_notes && journal.notes) ctx.notice(`Redmine private notes are not pulled (first seen in journal ${journal.id} of issue ${issue.id})`);
      else if (journal.notes && journal.notes.trim() !== '') {
        changes.push({ path: `/journals/${journal.id}`, recordType: COMMENT, changeType: 'add', props: { ticket, content: journal.notes, creator: author, created: timeToSd(journal.created_on) } });
      }
      for (const d of journal.details ?? []) {
        if (d.property === 'attachment' && d.new_value) {
          const file = files.get(d.name);
          // Added, then deleted since: the deletion's journal says so, there is nothing to read.
          if (file) changes.push(await this.file(ticket, file));
        } else if (d.property === 'attachment' && d.old_value) {
          changes.push({ path: `/attachments/${d.name}`, recordType: ATTACHMENT, changeType: 'delete', props: {} });
        } else if (!isKnown(d)) {
          ctx.notice(`Redmine change of ${d.property} ${d.name} is not mapped to SD; skipped (first seen in journal ${journal.id} of issue ${issue.id})`);
        }
      }
      if (changes.length) out.push({ seq, author, created: journal.created_on, changes });
    }
    return out;
  }

  private async file(ticket: string, file: RawAttachment): Promise<RemoteChange> {
    const bytes = await this.client.download(file.id, file.filename);
    const creator = file.author ? this.names.name('user', String(file.author.id)) : null;
    return {
      path: `/attachments/${file.id}`,
      recordType: ATTACHMENT,
      changeType: 'add',
      props: { ticket, name: file.filename, content: bytes.toString('base64'), content_encoding: 'base64', content_type: file.content_type || 'application/octet-stream', size: String(bytes.length), creator, created: timeToSd(file.created_on) },
    };
  }

  async apply(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined> {
    if (change.recordType === TICKET) return this.applyIssue(change, ctx);
    if (change.changeType !== 'add') {
      ctx.notice(`${change.recordType} ${change.changeType === 'delete' ? 'deletions' : 'edits'} are not sent to Redmine (its API cannot change a journal or file once made); kept in SD only`);
      return { path: change.path ?? '', owner: change.path ?? '', transactions: [], props: [] };
    }
    return change.recordType === COMMENT ? this.applyComment(change, ctx) : this.applyAttachment(change, ctx);
  }

  private async applyIssue(change: LocalChange, ctx: ForeignContext): Promise<Applied> {
    if (change.changeType === 'delete') {
      ctx.notice(`ticket deletions are not sent to Redmine (deleting an issue there destroys its history): close it instead; kept in SD only`);
      return { path: change.path!, owner: change.path!, transactions: [], props: [] };
    }
    await this.names.prepare([change.props.owner].filter((v): v is string => !!v));
    const { fields, sent, unsent } = issueFields(change.props, this.names, this.maps);
    if (unsent.length) ctx.notice(`Redmine at ${this.url.server} has no ${unsent.join(', ')}: not sent, kept in SD`);
    if (change.changeType === 'add') {
      const created = (await this.client.post('issues.json', { issue: { project_id: this.url.project, subject: change.record.summary ?? '', ...fields } })) as { issue: RawIssue };
      const path = `/issues/${created.issue.id}`;
      // Redmine starts an issue in its tracker's default status whatever it is given (unless a workflow allows more): the status follows as an update.
      const later = fields.status_id !== undefined && created.issue.status?.id !== fields.status_id ? (await this.update(path, { issue: { status_id: fields.status_id } }, ctx)).transactions : [];
      return { path, owner: path, transactions: [CREATION, ...later], props: sent };
    }
    const path = change.path!;
    if (!Object.keys(fields).length) return { path, owner: path, transactions: [], props: sent };
    return { path, owner: path, transactions: (await this.update(path, { issue: fields }, ctx)).transactions, props: sent };
  }

  private ticketPath(change: LocalChange, ctx: ForeignContext): string {
    const path = ctx.pathOf(change.record.ticket ?? change.props.ticket ?? '');
    if (!path) throw new ProphetError(`${change.recordType} ${change.uuid} belongs to a ticket Redmine does not have yet`, 'not-found');
    return path;
  }

  private async applyComment(change: LocalChange, ctx: ForeignContext): Promise<Applied> {
    const owner = this.ticketPath(change, ctx);
    const { transactions, journal } = await this.update(owner, { issue: { notes: change.record.content ?? '' } }, ctx);
    return { path: journal ? `/journals/${journal.id}` : owner, owner, transactions };
  }

  private async applyAttachment(change: LocalChange, ctx: ForeignContext): Promise<Applied> {
    const owner = this.ticketPath(change, ctx);
    const bytes = attachmentBytes(change.record);
    const filename = change.record.name ?? 'attachment';
    let token: string;
    try {
      token = await this.client.upload(filename, bytes);
    } catch (err) {
      // Over Redmine's "Maximum attachment size", say: the file is named, it stays in SD.
      if (err instanceof ProphetError && err.code === 'validation') throw new ProphetError(`attachment '${filename}' (${describeBytes(bytes.length)}) refused by Redmine at ${this.url.server}: ${err.message.replace(/^.*?: 422 /, '')}`, 'validation');
      throw err;
    }
    const { transactions, journal } = await this.update(owner, { issue: { uploads: [{ token, filename, content_type: change.record.content_type ?? 'application/octet-stream' }] } }, ctx, filename);
    const attachment = journal?.details?.find((d) => d.property === 'attachment' && d.new_value === filename)?.name;
    if (!attachment) throw new ProphetError(`Redmine at ${this.url.server} did not attach '${filename}' to ${owner.slice(1)}`, 'http');
    return { path: `/attachments/${attachment}`, owner, transactions };
  }

  /**
   * Updates an issue and finds the journal the update made: the newest by
   * this key's user after the issue's mark that is not already known as
   * ours (an update that changes nothing makes none).
   */
  private async update(path: string, body: { issue: Record<string, unknown> }, ctx: ForeignContext, filename?: string): Promise<{ transactions: number[]; journal?: RawJournal }> {
    const id = path.slice('/issues/'.length);
    try {
      await this.client.put(`issues/${id}.json`, body);
    } catch (err) {
      if (err instanceof ProphetError && err.code === 'not-found') throw new ProphetError(`issue ${id} no longer exists in Redmine at ${this.url.server} (deleted remotely): its changes in SD are kept here and not sent`, 'not-found');
      throw err;
    }
    const issue = ((await this.client.get(`issues/${id}.json?include=journals`)) as { issue: RawIssue }).issue;
    const mark = ctx.mark(path);
    const mine = (issue.journals ?? []).filter((j) => j.user?.id === this.me && j.id + 1 > mark && !ctx.isOurs(path, j.id + 1)).sort((a, b) => b.id - a.id);
    const journal = filename ? mine.find((j) => j.details?.some((d) => d.property === 'attachment' && d.new_value === filename)) : mine[0];
    return { transactions: journal ? [journal.id + 1] : [], journal };
  }
}

