/**
 * GitHub Issues sync against the fake GitHub of the tests (no internet
 * here): a clone of 1,000 issues (each with labels, an assignee, a comment
 * and a close or rename), an incremental pull with 10 issues changed, a
 * pull with nothing changed, and a push of 10 edits. Requests are counted
 * by the fake, which also checks every answer against GitHub's OpenAPI
 * description. BENCH_GITHUB_ISSUES changes the size. npm run bench:github
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub } from '../test/foreign/github/fake-server.js';
import { writeResults } from './results.js';
import { sdRunner } from './foreign-run.js';

const ISSUES = Number(process.env.BENCH_GITHUB_ISSUES ?? 1000);
const CHANGED = 10;
const REPO = 'bench/issues';

const fake = await startFakeGitHub();
fake.addToken('bench-token', 'sd-bot');
const gh = fake.state;
gh.createRepo(REPO);
const v1 = gh.createMilestone(REPO, 'v1');
// Issues a minute apart, as in a real repository: the pull's one-second overlap then re-lists one or two issues, not hundreds made in the same second.
for (let n = 1; n <= ISSUES; n++) {
  gh.clockOffset = -(ISSUES - n) * 60;
  gh.createIssue(REPO, `user${n % 17}`, { title: `Issue ${n}`, body: `Body of issue ${n}`, labels: ['bug', `component: c${n % 5}`], assignees: [`user${n % 7}`], milestone: n % 3 ? v1 : null });
  gh.addComment(REPO, n, `user${n % 11}`, `First comment on ${n}`);
  if (n % 2) gh.editIssue(REPO, n, `user${n % 13}`, { state: 'closed', state_reason: n % 4 === 1 ? 'completed' : 'not_planned' });
  else gh.editIssue(REPO, n, `user${n % 13}`, { title: `Issue ${n}, renamed` });
}

const home = mkdtempSync(join(tmpdir(), 'sd-bench-github-'));
const env = { ...process.env, HOME: home, SD_REPO: join(home, 'replica'), EMAIL: 'bench@example.com', GITHUB_TOKEN: 'bench-token', GITHUB_API_URL: fake.url };

const run = sdRunner(fake, env);

gh.clockOffset = 0;
const clone = await run('clone', ['clone', '--from', `github:${REPO}`]);
gh.clockOffset = 5;
for (let n = 1; n <= CHANGED; n++) gh.addComment(REPO, Math.ceil((n * ISSUES) / CHANGED), 'someone', 'changed for the bench');
// Five seconds later by the fake's clock: the changes' seconds are over (issues updated in the seconds before a search are read again by the next pull).
gh.clockOffset = 10;
const incremental = await run('incremental pull', ['pull', '--from', `github:${REPO}`]);
const settle = await run('pull right after', ['pull', '--from', `github:${REPO}`]);
const noop = await run('no-op pull', ['pull', '--from', `github:${REPO}`]);
const list = JSON.parse((await run('list', ['ticket', 'list', '--regex', 'Issue', '--json'])).out) as Array<{ uuid: string }>;
for (const t of list.slice(0, CHANGED)) await run('comment', ['ticket', 'comment', t.uuid, '-m', 'from SD']);
const push = await run(`push of ${CHANGED} comments`, ['push', '--to', `github:${REPO}`]);
if (fake.violations.length) throw new Error(`the fake gave answers GitHub would not: ${fake.violations.slice(0, 3).join('; ')}`);
await fake.close();

const said = (out: string) => out.replace(/ (from|into|to) \S+( at \S+)?/g, '');
writeResults('github', `GitHub Issues sync: clone of ${ISSUES.toLocaleString('en')} issues, incremental pulls (issue 11)`, [
  ['GitHub', `the fake GitHub of test/foreign/github (node:http on 127.0.0.1, in the bench process, every answer checked against the OpenAPI description); each issue has 2 labels, an assignee, most a milestone, a comment and a close or rename; the machine is shared with other work (load average ${loadavg()[0]!.toFixed(1)} at the end of the run), so times are high and vary; most of a no-op pull's time is starting sd`],
  [`clone of ${ISSUES} issues`, `${clone.s.toFixed(1)} s, ${clone.requests} requests (${said(clone.out)})`],
  [`pull with ${CHANGED} issues changed (a comment each)`, `${incremental.s.toFixed(1)} s, ${incremental.requests} requests (${said(incremental.out)})`],
  ['the pull after it (window moved: a 200 listing the newest issue again, read already)', `${settle.s.toFixed(1)} s, ${settle.requests} request (${said(settle.out)})`],
  ['pull with nothing changed', `${noop.s.toFixed(1)} s, ${noop.requests} request, answered 304 (${said(noop.out)})`],
  [`push of ${CHANGED} comments`, `${push.s.toFixed(1)} s, ${push.requests} requests: per comment the POST and a read of the issue and its timeline to mark the push's own events (${said(push.out)})`],
  ['where the clone\'s requests go', `${Math.ceil(ISSUES / 100)} pages of the issue list, then one timeline (events and comments) per issue: ${(clone.requests / ISSUES).toFixed(2)} requests an issue, ${((clone.s * 1000) / ISSUES).toFixed(1)} ms an issue in all`],
]);
