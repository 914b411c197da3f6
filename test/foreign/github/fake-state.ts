/**
 * The fake GitHub's repositories: issues, comments, milestones and the
 * timeline of each issue, in the shapes GitHub's REST v3 answers with
 * (checked against its OpenAPI description by the tests). Mutations are
 * the ones the REST API offers and record the timeline events GitHub
 * records for them, with the acting user and the time.
 */

export type Json = Record<string, unknown>;

export interface FakeIssue extends Json {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: Json[];
  assignees: Json[];
  milestone: Json | null;
  created_at: string;
  updated_at: string;
}

export interface FakeRepo {
  owner: string;
  name: string;
  issues: FakeIssue[];
  comments: Map<number, Json & { issue: number }>;
  timeline: Map<number, Json[]>;
  milestones: Json[];
}

export interface IssueEdit {
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  state_reason?: string | null;
  labels?: string[];
  assignees?: string[];
  /** A milestone's number; null removes it. */
  milestone?: number | null;
}

/** GitHub's times: UTC, whole seconds. */
export function githubTime(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export class FakeGitHub {
  readonly repos = new Map<string, FakeRepo>();
  private readonly userIds = new Map<string, number>();
  private nextId = 1000;
  /** Set by the server: the base of the URLs inside answers. */
  base = 'http://127.0.0.1';
  /** Moves the fake's clock (seconds): a test can make "later" without waiting. */
  clockOffset = 0;
  /** Stops the fake's clock at one second (ISO time): every edit and answer falls in it, the worst case for a one-second `since`. */
  frozenAt?: string;

  now(): string {
    return this.frozenAt ?? githubTime(new Date(Date.now() + this.clockOffset * 1000));
  }

  private id(): number {
    return this.nextId++;
  }

  user(login: string): Json {
    let id = this.userIds.get(login);
    if (id === undefined) this.userIds.set(login, (id = this.userIds.size + 1));
    const url = `${this.base}/users/${login}`;
    return {
      login,
      id,
      node_id: `U_${id}`,
      avatar_url: `${this.base}/avatars/${id}`,
      gravatar_id: '',
      url,
      html_url: `${this.base}/${login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: 'User',
      site_admin: false,
      user_view_type: 'public',
    };
  }

  /** A user as `GET /user` shows them (the public profile). */
  profile(login: string): Json {
    const at = '2020-01-01T00:00:00Z';
    return { ...this.user(login), name: login, company: null, blog: '', location: null, email: null, hireable: null, bio: null, public_repos: 1, public_gists: 0, followers: 0, following: 0, created_at: at, updated_at: at };
  }

  createRepo(fullName: string): FakeRepo {
    const [owner, name] = fullName.split('/') as [string, string];
    const repo: FakeRepo = { owner, name, issues: [], comments: new Map(), timeline: new Map(), milestones: [] };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  repo(fullName: string): FakeRepo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`no fake repository ${fullName}`);
    return repo;
  }

  private repoUrl(repo: FakeRepo): string {
    return `${this.base}/repos/${repo.owner}/${repo.name}`;
  }

  createMilestone(fullName: string, title: string, by = 'octocat'): number {
    const repo = this.repo(fullName);
    const number = repo.milestones.length + 1;
    const id = this.id();
    const url = `${this.repoUrl(repo)}/milestones/${number}`;
    const now = this.now();
    repo.milestones.push({ url, html_url: `${this.base}/${repo.owner}/${repo.name}/milestone/${number}`, labels_url: `${url}/labels`, id, node_id: `MI_${id}`, number, state: 'open', title, description: null, creator: this.user(by), open_issues: 0, closed_issues: 0, created_at: now, updated_at: now, closed_at: null, due_on: null });
    return number;
  }

  private label(repo: FakeRepo, name: string): Json {
    let h = 0;
    for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
    return { id: h + 1, node_id: `LA_${h}`, url: `${this.repoUrl(repo)}/labels/${encodeURIComponent(name)}`, name, description: null, color: 'ededed', default: false };
  }

  private issueUrls(repo: FakeRepo, number: number): Json {
    const url = `${this.repoUrl(repo)}/issues/${number}`;
    return { url, repository_url: this.repoUrl(repo), labels_url: `${url}/labels{/name}`, comments_url: `${url}/comments`, events_url: `${url}/events`, html_url: `${this.base}/${repo.owner}/${repo.name}/issues/${number}`, timeline_url: `${url}/timeline` };
  }

  private event(repo: FakeRepo, issue: FakeIssue, by: string, event: string, extra: Json, at: string): void {
    const id = this.id();
    repo.timeline.get(issue.number)!.push({ id, node_id: `E_${id}`, url: `${this.repoUrl(repo)}/issues/events/${id}`, actor: this.user(by), event, commit_id: null, commit_url: null, created_at: at, performed_via_github_app: null, ...extra });
  }

  /** A new issue, with the events GitHub records for what it was created with. */
  createIssue(fullName: string, by: string, fields: IssueEdit & { title: string }): FakeIssue {
    const repo = this.repo(fullName);
    const number = repo.issues.length + 1;
    const id = this.id();
    const now = this.now();
    const issue = {
      id,
      node_id: `I_${id}`,
      ...this.issueUrls(repo, number),
      number,
      state: 'open',
      state_reason: null,
      title: fields.title,
      body: fields.body ?? null,
      user: this.user(by),
      labels: [],
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: 0,
      closed_at: null,
      created_at: now,
      updated_at: now,
      author_association: 'OWNER',
    } as unknown as FakeIssue;
    repo.issues.push(issue);
    repo.timeline.set(number, []);
    const { title: _t, body: _b, ...rest } = fields;
    this.apply(repo, issue, by, rest, now);
    return issue;
  }

  /** A pull request: it is listed among the issues, as on GitHub, and must be skipped. */
  createPullRequest(fullName: string, by: string, title: string): FakeIssue {
    const issue = this.createIssue(fullName, by, { title });
    const repo = this.repo(fullName);
    const url = `${this.repoUrl(repo)}/pulls/${issue.number}`;
    issue.pull_request = { url, html_url: url, diff_url: `${url}.diff`, patch_url: `${url}.patch`, merged_at: null };
    return issue;
  }

  issue(fullName: string, number: number): FakeIssue | undefined {
    return this.repo(fullName).issues.find((i) => i.number === number);
  }

  editIssue(fullName: string, number: number, by: string, edit: IssueEdit): FakeIssue {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    if (!issue) throw new Error(`no issue ${number}`);
    this.apply(repo, issue, by, edit, this.now());
    return issue;
  }

  private apply(repo: FakeRepo, issue: FakeIssue, by: string, edit: IssueEdit, at: string): void {
    let changed = false;
    if (edit.title !== undefined && edit.title !== issue.title) {
      this.event(repo, issue, by, 'renamed', { rename: { from: issue.title, to: edit.title } }, at);
      issue.title = edit.title;
      changed = true;
    }
    if (edit.body !== undefined && edit.body !== issue.body) {
      issue.body = edit.body;
      changed = true;
    }
    if (edit.state !== undefined && (edit.state !== issue.state || (edit.state === 'closed' && edit.state_reason && edit.state_reason !== issue.state_reason))) {
      const reason = edit.state === 'closed' ? (edit.state_reason ?? 'completed') : 'reopened';
      this.event(repo, issue, by, edit.state === 'closed' ? 'closed' : 'reopened', { state_reason: reason }, at);
      issue.state = edit.state;
      issue.state_reason = reason;
      issue.closed_at = edit.state === 'closed' ? at : null;
      if (edit.state === 'closed') issue.closed_by = this.user(by);
      changed = true;
    }
    if (edit.labels !== undefined) {
      const before = issue.labels.map((l) => l.name as string);
      for (const name of before.filter((n) => !edit.labels!.includes(n))) this.event(repo, issue, by, 'unlabeled', { label: { name, color: 'ededed' } }, at);
      for (const name of edit.labels.filter((n) => !before.includes(n))) this.event(repo, issue, by, 'labeled', { label: { name, color: 'ededed' } }, at);
      issue.labels = [...new Set(edit.labels)].map((n) => this.label(repo, n));
      changed ||= before.join() !== edit.labels.join();
    }
    if (edit.assignees !== undefined) {
      const before = issue.assignees.map((u) => u.login as string);
      for (const login of before.filter((n) => !edit.assignees!.includes(n))) this.event(repo, issue, by, 'unassigned', { assignee: this.user(login), assigner: this.user(by) }, at);
      for (const login of edit.assignees.filter((n) => !before.includes(n))) this.event(repo, issue, by, 'assigned', { assignee: this.user(login), assigner: this.user(by) }, at);
      issue.assignees = [...new Set(edit.assignees)].map((l) => this.user(l));
      issue.assignee = issue.assignees[0] ?? null;
      changed ||= before.join() !== edit.assignees.join();
    }
    if (edit.milestone !== undefined) {
      const next = edit.milestone === null ? null : repo.milestones.find((m) => m.number === edit.milestone);
      if (next === undefined) throw new Error(`no milestone ${edit.milestone}`);
      const before = issue.milestone;
      if ((before?.number ?? null) !== (next?.number ?? null)) {
        if (before) this.event(repo, issue, by, 'demilestoned', { milestone: { title: before.title } }, at);
        if (next) this.event(repo, issue, by, 'milestoned', { milestone: { title: next.title } }, at);
        issue.milestone = next;
        changed = true;
      }
    }
    if (changed) issue.updated_at = at;
  }

  addComment(fullName: string, number: number, by: string, body: string): Json {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    if (!issue) throw new Error(`no issue ${number}`);
    const id = this.id();
    const now = this.now();
    const comment = {
      id,
      node_id: `IC_${id}`,
      url: `${this.repoUrl(repo)}/issues/comments/${id}`,
      html_url: `${issue.html_url as string}#issuecomment-${id}`,
      body,
      user: this.user(by),
      created_at: now,
      updated_at: now,
      issue_url: issue.url,
      author_association: 'OWNER',
      issue: number,
    };
    repo.comments.set(id, comment);
    issue.comments = (issue.comments as number) + 1;
    issue.updated_at = now;
    return comment;
  }

  editComment(fullName: string, id: number, body: string): Json {
    const repo = this.repo(fullName);
    const comment = repo.comments.get(id);
    if (!comment) throw new Error(`no comment ${id}`);
    comment.body = body;
    comment.updated_at = this.now();
    this.issue(fullName, comment.issue)!.updated_at = comment.updated_at as string;
    return comment;
  }

  deleteComment(fullName: string, id: number): boolean {
    const repo = this.repo(fullName);
    const comment = repo.comments.get(id);
    if (!comment) return false;
    repo.comments.delete(id);
    const issue = this.issue(fullName, comment.issue)!;
    issue.comments = (issue.comments as number) - 1;
    issue.updated_at = this.now();
    return true;
  }

  /** An issue's timeline as GitHub lists it: its events and comments, oldest first. */
  timeline(fullName: string, number: number): Json[] {
    const repo = this.repo(fullName);
    const comments = [...repo.comments.values()]
      .filter((c) => c.issue === number)
      .map(({ issue: _issue, ...c }): Json => ({ event: 'commented', actor: c.user, ...c }));
    return [...(repo.timeline.get(number) ?? []), ...comments].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)) || Number(a.id) - Number(b.id));
  }

  /** A comment as the REST API shows it. */
  comment(fullName: string, id: number): Json | undefined {
    const c = this.repo(fullName).comments.get(id);
    if (!c) return undefined;
    const { issue: _issue, ...shown } = c;
    return shown;
  }
}
