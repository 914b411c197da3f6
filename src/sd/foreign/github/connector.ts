/**
 * GitHub Issues as a foreign replica, over the REST v3 API. A pull lists
 * the issues updated since the last one (one request per 100, sent with
 * the last answer's ETag: an unchanged repository costs one 304), then per
 * changed issue its timeline (events and comments, one request per 100).
 * Pull requests, which GitHub lists among issues, are left out.
 */
import { createHash } from 'node:crypto';
import { redactUrls, type Applied, type ForeignConnector, type ForeignContext, type LocalChange, type RemoteChange, type RemoteHistory, type RemoteRef, type RemoteTransaction } from '../../../prophet/index.js';
import { timestamp } from '../../model/dates.js';
import { COMMENT, TICKET } from '../../model/record-types.js';
import { unsettled } from '../shared/tracker-http.js';
import { difference } from '../shared/values.js';
import { GithubError, type GithubClient } from './client.js';
import type { ValueMaps } from '../value-maps.js';
import { issueFields, Mapping } from './mapping.js';
import { currentValues, epochSeconds, isMapped, isSilent, rollForward, settledSeq, type GhEvent, type GhIssue, type Step } from './timeline.js';
import { DEFAULT_API, type GithubUrl } from './url.js';

const PAGE = 100;
/** How far GitHub's clock may be behind ours when telling a push's own events from others'. */
const CLOCK_SLACK_MS = 30_000;

/** Where the next search starts: the newest `updated_at` read, and the validator of the answer to that search once it brought nothing new. */
interface Window {
  since?: string;
  etag?: string;
}

/** The timeline events an edit of each field makes, to know a push's own events when they come back. */
const EVENTS_OF: Record<string, string[]> = { title: ['renamed'], state: ['closed', 'reopened'], labels: ['labeled', 'unlabeled'], assignees: ['assigned', 'unassigned'], milestone: ['milestoned', 'demilestoned'] };

/**
 * What says an issue changed since it was last read. `updated_at` alone
 * has whole seconds, so a second edit in the same second (a body edit
 * just after a pull, say) would be skipped as read; the listed issue as a
 * whole changes with every edit the list shows.
 */
function listedDigest(issue: GhIssue): string {
  return `${issue.updated_at} ${createHash('sha256').update(JSON.stringify(issue)).digest('hex').slice(0, 16)}`;
}

export class GithubConnector implements ForeignConnector {
  readonly identityUrl: string;
  readonly recordBase: string;
  readonly description: string;
  readonly searched = 'issues';
  // GitHub's API takes no files: attachments stay in SD (the framework says so once per push).
  readonly recordTypes = [TICKET, COMMENT];
  private readonly repoPath: string;
  /** The issues the last search listed, by path: their values cost no request more. */
  private readonly listed = new Map<string, GhIssue>();
  private next?: Window;
  private me?: string;
  private milestones?: Map<string, number>;

  constructor(
    private readonly gh: GithubUrl,
    private readonly client: GithubClient,
    /** The value maps in force, read when first needed: the replica's config over the defaults. */
    private readonly mapsInForce: () => ValueMaps,
  ) {
    this.repoPath = `/repos/${gh.owner}/${gh.repo}`;
    // GitHub's names ignore case: github:Octo/Repo is github:octo/repo.
    this.identityUrl = `${gh.api}/repos/${gh.owner}/${gh.repo}`.toLowerCase();
    this.recordBase = this.identityUrl;
    this.description = redactUrls(`github:${gh.owner}/${gh.repo}${gh.api === DEFAULT_API ? '' : ` at ${gh.api}`}`);
  }

  private cachedMapping?: Mapping;
  private get mapping(): Mapping {
    return (this.cachedMapping ??= new Mapping(this.mapsInForce()));
  }

  requests(): number {
    return this.client.requests;
  }

  /** Nothing to ask before the search: the token and the repository are checked by the search itself (one request in all). */
  async open(): Promise<void> {}

  private notFound(err: unknown): never {
    if (err instanceof GithubError && err.status === 404) {
      throw new GithubError(`GitHub at ${this.gh.api} has no repository ${this.gh.owner}/${this.gh.repo} (or the token may not see it)`, 404);
    }
    throw err;
  }

  async find(window: string | undefined): Promise<RemoteRef[]> {
    const last = parseWindow(window);
    const params = new URLSearchParams({ state: 'all', sort: 'updated', direction: 'asc', per_page: String(PAGE) });
    // One second back: an issue updated later in the newest second read is found again (per-issue marks make the overlap free).
    if (last.since) params.set('since', new Date((epochSeconds(last.since) - 1) * 1000).toISOString().replace('.000Z', 'Z'));
    let answer;
    try {
      answer = await this.client.list<GhIssue>(`${this.repoPath}/issues?${params}`, last.etag);
    } catch (err) {
      this.notFound(err);
    }
    this.next = undefined;
    if (answer.notModified) return [];
    const newest = answer.items.reduce<string | undefined>((max, i) => (max === undefined || i.updated_at > max ? i.updated_at : max), last.since);
    const refs: RemoteRef[] = [];
    for (const issue of answer.items) {
      if (issue.pull_request) continue;
      const path = `/issues/${issue.number}`;
      this.listed.set(path, issue);
      // A comment edited in the issue's last second would move neither its time nor its listing.
      refs.push({ path, updated: listedDigest(issue), unsettled: unsettled(issue.updated_at, answer.answeredAt) });
    }
    // Nothing newer than the window and nothing unsettled: this answer is the one to validate against next time.
    this.next = newest === last.since && !refs.some((r) => r.unsettled) ? { since: newest, etag: answer.etag } : { since: newest };
    return refs;
  }

  windowAfter(): string | undefined {
    return this.next && JSON.stringify(this.next);
  }

  private async issue(path: string): Promise<GhIssue> {
    return this.listed.get(path) ?? (await this.client.get<GhIssue>(`${this.repoPath}${path}`)).body;
  }

  private async steps(path: string, issue: GhIssue): Promise<Step[]> {
    const { items } = await this.client.list<GhEvent>(`${this.repoPath}${path}/timeline?per_page=${PAGE}`);
    return rollForward(issue, items);
  }

  async history(ref: RemoteRef, after: number, ctx: ForeignContext): Promise<RemoteHistory> {
    const issue = await this.issue(ref.path);
    const steps = await this.steps(ref.path, issue);
    const ticket = ctx.uuidOf(ref.path);
    const transactions: RemoteTransaction[] = [];
    let before: Record<string, string | null> = {};
    for (const step of steps) {
      const props = this.mapping.ticketProps(step.values);
      const changes = this.changes(ref.path, ticket, step, before, props, ctx);
      before = props;
      if (changes.length) transactions.push({ seq: step.seq, author: this.mapping.email(step.actor), created: step.at, changes });
    }
    const last = steps[steps.length - 1]!.seq;
    const settled = this.settle(ref.path, ticket, issue, steps, after, ctx);
    if (settled.length) transactions.push({ seq: settledSeq(last, after), author: null, created: issue.updated_at, changes: settled });
    return { transactions, last: Math.max(after, last) };
  }

  private changes(path: string, ticket: string, step: Step, before: Record<string, string | null>, props: Record<string, string | null>, ctx: ForeignContext): RemoteChange[] {
    const e = step.event;
    if (!e) {
      const created: Record<string, string | null> = { ...props, reporter: this.mapping.email(step.actor), created: timestamp(new Date(step.at)) };
      return [{ path, recordType: TICKET, changeType: 'add', props: Object.fromEntries(Object.entries(created).filter(([, v]) => v !== null)) }];
    }
    if (e.event === 'commented') {
      return [{ path: commentPath(e.id!), recordType: COMMENT, changeType: 'add', props: { ticket, content: e.body ?? '', creator: this.mapping.email(step.actor), created: timestamp(new Date(step.at)) } }];
    }
    if (isMapped(e.event)) {
      const changed = difference(before, props);
      return Object.keys(changed).length ? [{ path, recordType: TICKET, changeType: 'update', props: changed }] : [];
    }
    if (!isSilent(e.event)) ctx.notice(`GitHub event '${e.event}' is not mapped to SD; skipped (first seen on issue ${path.slice('/issues/'.length)})`);
    return [];
  }

  /**
   * What GitHub keeps no events for, read from the issue as it is now:
   * bodies (the issue's, its comments') edited since the value the
   * replica knows GitHub holds, and, on the first reading, anything the
   * events did not account for (an issue imported without events).
   */
  private settle(path: string, ticket: string, issue: GhIssue, steps: Step[], after: number, ctx: ForeignContext): RemoteChange[] {
    const now = this.mapping.ticketProps(currentValues(issue));
    const rolled = this.mapping.ticketProps(steps[steps.length - 1]!.values);
    const first = after < steps[0]!.seq;
    const changed: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(now)) {
      if (name === 'description' && !first) {
        const known = ctx.remoteValue(ticket, name);
        if (known !== undefined && known !== value) changed[name] = value;
      } else if ((rolled[name] ?? null) !== (value ?? null)) changed[name] = value;
    }
    const out: RemoteChange[] = Object.keys(changed).length ? [{ path, recordType: TICKET, changeType: 'update', props: changed }] : [];
    // A comment edited after it was read: GitHub keeps its text, not its history.
    for (const step of steps) {
      const e = step.event;
      if (e?.event !== 'commented' || step.seq > after) continue;
      const uuid = ctx.uuidOf(commentPath(e.id!));
      const known = ctx.remoteValue(uuid, 'content');
      if (known !== undefined && known !== (e.body ?? '')) out.push({ path: commentPath(e.id!), recordType: COMMENT, changeType: 'update', props: { content: e.body ?? '' } });
    }
    return out;
  }

  async apply(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined> {
    if (change.recordType === TICKET) return this.applyTicket(change, ctx);
    if (change.recordType === COMMENT) return this.applyComment(change, ctx);
    return undefined;
  }

  private async login(): Promise<string> {
    this.me ??= (await this.client.get<{ login: string }>('/user')).body.login;
    return this.me;
  }

  private async milestone(title: string | null, ctx: ForeignContext): Promise<number | null | undefined> {
    if (title === null) return null;
    if (!this.milestones) {
      const { items } = await this.client.list<{ title: string; number: number }>(`${this.repoPath}/milestones?state=all&per_page=${PAGE}`);
      this.milestones = new Map(items.map((m) => [m.title, m.number]));
    }
    const number = this.milestones.get(title);
    if (number === undefined) ctx.notice(`milestone '${title}' does not exist in ${this.description}; not sent (create it there to have it sent)`);
    return number;
  }

  private async applyTicket(change: LocalChange, ctx: ForeignContext): Promise<Applied> {
    const deleting = change.changeType === 'delete';
    // GitHub's REST API deletes no issue: a ticket deleted in SD is closed as not planned.
    const props = deleting ? { status: 'rejected' } : change.props;
    if (deleting) ctx.notice(`GitHub's API cannot delete issues: tickets deleted in SD are closed as not planned in ${this.description}`);
    const { fields, milestone, sent, unmapped } = issueFields(props, change.record, this.mapping);
    for (const line of unmapped) ctx.notice(line);
    const body: Record<string, unknown> = { ...fields };
    if (milestone !== undefined) {
      const number = await this.milestone(milestone, ctx);
      if (number !== undefined) body.milestone = number;
      else sent.splice(sent.indexOf('milestone'), 1);
    }
    const me = await this.login();
    const since = Date.now() - CLOCK_SLACK_MS;
    if (change.changeType === 'add') {
      const { state, state_reason, ...create } = body;
      const created = await this.client.send<GhIssue>('POST', `${this.repoPath}/issues`, { title: 'untitled', ...create });
      const path = `/issues/${created.number}`;
      if (state === 'closed') await this.client.send('PATCH', `${this.repoPath}${path}`, { state, state_reason });
      return { path, owner: path, transactions: await this.ours(path, ctx, me, since, Object.keys(body), true), props: sent };
    }
    const path = change.path!;
    if (!Object.keys(body).length) return { path, owner: path, transactions: [], props: sent };
    try {
      await this.client.send('PATCH', `${this.repoPath}${path}`, body);
    } catch (err) {
      if (err instanceof GithubError && (err.status === 404 || err.status === 410)) throw new GithubError(`issue ${path.slice('/issues/'.length)} is gone from ${this.description} (deleted or transferred): its changes in SD are kept here and not sent`, 404);
      throw err;
    }
    return { path, owner: path, transactions: await this.ours(path, ctx, me, since, Object.keys(body), false), props: sent };
  }

  private async applyComment(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined> {
    const ticketPath = ctx.pathOf(change.record.ticket ?? change.props.ticket ?? '');
    if (!ticketPath) throw new GithubError(`comment ${change.uuid} belongs to a ticket ${this.description} does not have yet`, 404);
    const content = change.record.content ?? change.props.content ?? '';
    if (change.changeType === 'add') {
      const me = await this.login();
      const since = Date.now() - CLOCK_SLACK_MS;
      const made = await this.client.send<{ id: number }>('POST', `${this.repoPath}${ticketPath}/comments`, { body: content });
      return { path: commentPath(made.id), owner: ticketPath, transactions: await this.ours(ticketPath, ctx, me, since, [], false, made.id) };
    }
    const path = change.path!;
    if (change.changeType === 'delete') await this.client.send('DELETE', `${this.repoPath}${path}`);
    else if ('content' in change.props) await this.client.send('PATCH', `${this.repoPath}${path}`, { body: content });
    return { path, owner: ticketPath, transactions: [] };
  }

  /**
   * The timeline steps a push just made, so a pull skips them: after the
   * issue's mark, by this token's user, since just before the write, of
   * the kinds the write asked for (its creation, its comment). What others
   * did meanwhile does not match and is pulled.
   */
  private async ours(path: string, ctx: ForeignContext, me: string, since: number, fields: string[], created: boolean, comment?: number): Promise<number[]> {
    const issue = (await this.client.get<GhIssue>(`${this.repoPath}${path}`)).body;
    const steps = await this.steps(path, issue);
    const kinds = new Set(fields.flatMap((f) => EVENTS_OF[f] ?? []));
    const mark = ctx.mark(path);
    const found: number[] = [];
    for (const step of steps) {
      if (step.seq <= mark || ctx.isOurs(path, step.seq) || step.actor !== me || Date.parse(step.at) < since) continue;
      const e = step.event;
      if (e ? (e.event === 'commented' ? e.id === comment : kinds.has(e.event)) : created) found.push(step.seq);
    }
    return found;
  }
}

export function commentPath(id: number): string {
  return `/issues/comments/${id}`;
}

function parseWindow(window: string | undefined): Window {
  if (!window) return {};
  try {
    const parsed = JSON.parse(window) as Window;
    return typeof parsed === 'object' && parsed ? parsed : {};
  } catch {
    return {};
  }
}
