import { describe, expect, it } from 'vitest';
import { nextPage } from '../../../src/sd/foreign/github/client.js';
import { GITHUB_MAP_DEFAULTS, issueFields, Mapping } from '../../../src/sd/foreign/github/mapping.js';
import { parseMap, valueMaps } from '../../../src/sd/foreign/value-maps.js';
import { exhaustedWait, maxWaitMs, refusedWait } from '../../../src/sd/foreign/github/rate-limit.js';
import { nextSeq, rollForward, settledSeq, type GhIssue } from '../../../src/sd/foreign/github/timeline.js';
import { parseGithubUrl } from '../../../src/sd/foreign/github/url.js';
import { checkAnswer } from './openapi-check.js';

const issue: GhIssue = { number: 1, title: 'Now', body: 'text', state: 'closed', state_reason: 'not_planned', labels: [{ name: 'bug' }], assignees: [{ login: 'bob' }], milestone: null, user: { login: 'alice' }, created_at: '2026-01-01T10:00:00Z', updated_at: '2026-01-01T10:00:05Z' };

describe('GitHub connector rules', () => {
  it('numbers an issue\'s steps by second, in order, the same second counting up, with room for readings between steps', () => {
    const steps = rollForward(issue, [
      { id: 7, event: 'labeled', label: { name: 'bug' }, actor: { login: 'bob' }, created_at: '2026-01-01T10:00:00Z' },
      { id: 8, event: 'renamed', rename: { from: 'Then', to: 'Now' }, actor: { login: 'bob' }, created_at: '2026-01-01T10:00:00Z' },
      { id: 9, event: 'closed', state_reason: 'not_planned', actor: { login: 'carol' }, created_at: '2026-01-01T10:00:03Z' },
    ]);
    const second = Date.parse('2026-01-01T10:00:00Z') * 1000;
    expect(steps.map((s) => s.seq)).toEqual([second, second + 1000, second + 2000, second + 3_000_000]);
    // A reading of a body edit between steps, then a step later in the same second: it still numbers after.
    const settled = settledSeq(steps[3]!.seq, steps[3]!.seq);
    expect(nextSeq('2026-01-01T10:00:03Z', steps[3]!.seq)).toBeGreaterThan(settledSeq(steps[3]!.seq, settled));
    expect(steps[0]!.values).toMatchObject({ title: 'Then', labels: [], state: 'open' });
    expect(steps[3]!.values).toMatchObject({ title: 'Now', labels: ['bug'], state: 'closed', stateReason: 'not_planned' });
    expect(steps[3]!.actor).toBe('carol');
  });

  it('maps values both ways; what the table does not map is kept coming in and named going out', () => {
    const defaults = valueMaps(GITHUB_MAP_DEFAULTS, undefined, undefined);
    const m = new Mapping(defaults);
    expect(m.ticketProps({ title: 't', body: '', state: 'closed', stateReason: 'not_planned', labels: ['component: ui', 'Priority: high', 'bug', 'help wanted'], assignees: ['bob'], milestone: 'v1' })).toEqual({
      summary: 't',
      description: null,
      status: 'rejected',
      owner: 'bob@users.noreply.github.com',
      milestone: 'v1',
      component: 'ui',
      priority: 'high',
      tags: 'bug, help wanted',
    });
    expect(m.status('closed', 'some_new_reason')).toBe('some_new_reason');
    expect(m.login('12345+octocat@users.noreply.github.com')).toBe('octocat');
    const configured = new Mapping({ ...defaults, user: defaults.user.with(parseMap('octocat=cat@example.com', 'config', 'test')) });
    expect(configured.login('cat@example.com')).toBe('octocat');
    expect(configured.email('octocat')).toBe('cat@example.com');
    expect(m.state('new')).toEqual({ state: 'open' });
    expect(m.state('closed')).toEqual({ state: 'closed', reason: 'completed' });
    expect(m.state('duplicate')).toEqual({ state: 'closed', reason: 'duplicate' });
    const out = issueFields({ status: 'needs-info', owner: 'nobody@example.com, bob@users.noreply.github.com', tags: 'bug' }, { component: 'ui' }, m);
    expect(out.fields).toEqual({ assignees: ['bob'], labels: ['bug', 'component: ui'] });
    expect(out.unmapped).toEqual([expect.stringMatching(/status 'needs-info'/), expect.stringMatching(/owner 'nobody@example.com'/)]);
  });

  it('reads rate limits from answers', () => {
    const now = 1_000_000_000_000;
    const h = (o: Record<string, string>) => new Headers(o);
    expect(refusedWait(403, h({ 'retry-after': '30' }), '', now)).toMatchObject({ kind: 'secondary', ms: 30_000 });
    expect(refusedWait(429, h({}), 'You have exceeded a secondary rate limit', now)).toMatchObject({ kind: 'secondary', ms: 60_000 });
    expect(refusedWait(403, h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 10) }), '', now)).toMatchObject({ kind: 'primary', ms: 11_000 });
    expect(refusedWait(403, h({ 'x-ratelimit-remaining': '12' }), 'Resource not accessible by integration', now)).toBeUndefined();
    expect(exhaustedWait(h({ 'x-ratelimit-remaining': '1' }), now)).toBeUndefined();
    expect(maxWaitMs({})).toBe(900_000);
    expect(maxWaitMs({ SD_GITHUB_MAX_WAIT: '0' })).toBe(0);
  });

  it('follows rel="next" of a Link header and parses repository URLs', () => {
    expect(nextPage('<https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last"')).toBe('https://api.github.com/x?page=3');
    expect(nextPage('<https://api.github.com/x?page=1>; rel="first"')).toBeUndefined();
    expect(parseGithubUrl('github:octo/repo', {})).toEqual({ owner: 'octo', repo: 'repo', api: 'https://api.github.com' });
    expect(parseGithubUrl('github:https://github.com/octo/repo.git', { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toEqual({ owner: 'octo', repo: 'repo', api: 'https://ghe.example.com/api/v3' });
    expect(parseGithubUrl('github:https://ghe.example.com/team/app', {})).toEqual({ owner: 'team', repo: 'app', api: 'https://ghe.example.com/api/v3' });
    expect(() => parseGithubUrl('github:octo', {})).toThrow(/github:OWNER\/REPO/);
  });

  it('the OpenAPI check catches an answer GitHub would not give', () => {
    expect(checkAnswer('GET /repos/{owner}/{repo}/issues', 200, [{ number: 1, title: 'no other fields' }]).length).toBeGreaterThan(0);
    expect(checkAnswer('GET /repos/{owner}/{repo}/issues/{issue_number}/timeline', 200, [{ event: 'closed', id: 1 }]).some((p) => /\(closed\)/.test(p))).toBe(true);
    expect(checkAnswer('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', 200, {})).toEqual([expect.stringMatching(/does not answer 200/)]);
  });
});
