/**
 * An issue's history from its timeline: the issue's creation, then each
 * event and comment oldest first, each with the issue's values after it.
 * GitHub records events (renamed, closed, labeled...) with their actor and
 * time but keeps no history of the body, so the values are rolled forward
 * from the creation: the title it was created with is the first rename's
 * `from`, its labels, assignees and milestone are the events', its body
 * the current one.
 *
 * Transaction numbers: GitHub's event and comment ids are separate
 * sequences, so a step is numbered by its time, `seconds × 1,000,000`,
 * plus 1,000 for each earlier step in the same second: increasing along
 * the history, the same on every replica that reads it, and a step that
 * arrives later in an already-read second still numbers after the ones
 * read. The numbers in between are for readings of what GitHub keeps no
 * events for (body edits): each takes the next number after the mark, so
 * a later step of the same second still comes after them.
 */
import type { IssueState, IssueValues } from './mapping.js';

export interface GhUser {
  login: string;
}

export interface GhIssue {
  number: number;
  title: string;
  body?: string | null;
  state: IssueState;
  state_reason?: string | null;
  labels: Array<{ name?: string } | string>;
  assignees?: GhUser[] | null;
  milestone: { title: string; number: number } | null;
  user: GhUser | null;
  created_at: string;
  updated_at: string;
  pull_request?: unknown;
}

export interface GhEvent {
  id?: number;
  event: string;
  actor?: GhUser | null;
  created_at?: string;
  label?: { name: string };
  assignee?: GhUser | null;
  milestone?: { title: string };
  rename?: { from: string; to: string };
  state_reason?: string | null;
  /** A comment's. */
  body?: string;
  user?: GhUser | null;
  updated_at?: string;
}

export interface Step {
  seq: number;
  /** Undefined for the creation. */
  event?: GhEvent;
  actor: string | null;
  at: string;
  values: IssueValues;
}

/** Events that change what SD keeps. */
const MAPPED = new Set(['renamed', 'closed', 'reopened', 'labeled', 'unlabeled', 'assigned', 'unassigned', 'milestoned', 'demilestoned', 'commented']);
/** Events that carry nothing SD keeps: skipped without a word. */
const SILENT = new Set(['mentioned', 'subscribed', 'unsubscribed', 'referenced', 'cross-referenced', 'connected', 'disconnected', 'locked', 'unlocked', 'pinned', 'unpinned', 'transferred', 'comment_deleted', 'marked_as_duplicate', 'unmarked_as_duplicate', 'user_blocked', 'head_ref_deleted', 'head_ref_restored', 'head_ref_force_pushed', 'committed', 'review_requested', 'review_request_removed', 'reviewed', 'review_dismissed', 'merged', 'deployed', 'ready_for_review', 'convert_to_draft', 'added_to_project', 'moved_columns_in_project', 'removed_from_project', 'converted_note_to_issue', 'issue_type_added', 'issue_type_changed', 'issue_type_removed', 'sub_issue_added', 'sub_issue_removed', 'parent_issue_added', 'parent_issue_removed']);

export function isMapped(event: string): boolean {
  return MAPPED.has(event);
}

export function isSilent(event: string): boolean {
  return SILENT.has(event);
}

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

const SECOND = 1_000_000;
const STEP = 1000;

/** The number after `previous` for a step at `iso`: its second's first, or the next step's in an already-numbered second. */
export function nextSeq(iso: string, previous: number): number {
  return Math.max(epochSeconds(iso) * SECOND, previous + STEP);
}

/** The number of a reading of the issue's current values: the next after the last step and the mark. */
export function settledSeq(last: number, mark: number): number {
  return Math.max(last, mark) + 1;
}

export function labelName(label: { name?: string } | string): string {
  return typeof label === 'string' ? label : (label.name ?? '');
}

/** The issue's values now, as its answer gives them. */
export function currentValues(issue: GhIssue): IssueValues {
  return {
    title: issue.title,
    body: issue.body ?? null,
    state: issue.state,
    stateReason: issue.state === 'closed' ? (issue.state_reason ?? 'completed') : null,
    labels: issue.labels.map(labelName).filter((l) => l !== ''),
    assignees: (issue.assignees ?? []).map((a) => a.login),
    milestone: issue.milestone?.title ?? null,
  };
}

function after(values: IssueValues, e: GhEvent): IssueValues {
  const v = { ...values };
  switch (e.event) {
    case 'renamed':
      if (e.rename) v.title = e.rename.to;
      break;
    case 'closed':
      v.state = 'closed';
      v.stateReason = e.state_reason ?? 'completed';
      break;
    case 'reopened':
      v.state = 'open';
      v.stateReason = null;
      break;
    case 'labeled':
      if (e.label && !v.labels.includes(e.label.name)) v.labels = [...v.labels, e.label.name];
      break;
    case 'unlabeled':
      v.labels = v.labels.filter((l) => l !== e.label?.name);
      break;
    case 'assigned':
      if (e.assignee && !v.assignees.includes(e.assignee.login)) v.assignees = [...v.assignees, e.assignee.login];
      break;
    case 'unassigned':
      v.assignees = v.assignees.filter((a) => a !== e.assignee?.login);
      break;
    case 'milestoned':
      v.milestone = e.milestone?.title ?? null;
      break;
    case 'demilestoned':
      if (v.milestone === e.milestone?.title) v.milestone = null;
      break;
  }
  return v;
}

/** The creation and every timeline item, numbered, each with the values it left. */
export function rollForward(issue: GhIssue, timeline: GhEvent[]): Step[] {
  const firstRename = timeline.find((e) => e.event === 'renamed' && e.rename);
  let values: IssueValues = { title: firstRename?.rename?.from ?? issue.title, body: issue.body ?? null, state: 'open', stateReason: null, labels: [], assignees: [], milestone: null };
  let seq = epochSeconds(issue.created_at) * SECOND;
  const steps: Step[] = [{ seq, actor: issue.user?.login ?? null, at: issue.created_at, values }];
  for (const event of timeline) {
    const at = event.created_at ?? issue.created_at;
    seq = nextSeq(at, seq);
    values = after(values, event);
    steps.push({ seq, event, actor: (event.event === 'commented' ? event.user?.login : event.actor?.login) ?? null, at, values });
  }
  return steps;
}
