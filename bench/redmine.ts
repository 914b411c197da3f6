/**
 * Redmine sync: a clone of a project of 1,000 issues (each created with a
 * description and a custom field by alice, then a journal by bob with a
 * note and a status change), then an incremental pull with 10 issues
 * changed, and a pull with nothing changed. Requests are counted by a proxy
 * in front of Redmine. Needs a running Redmine from
 * test/foreign/redmine/redmine-setup.sh:
 * SD_REDMINE_URL=http://127.0.0.1:PORT [BENCH_REDMINE_ISSUES] npm run bench:redmine
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCountingProxy } from '../test/foreign/counting-proxy.js';
import { RedmineRest } from '../test/foreign/redmine/redmine-rest.js';
import { ADMIN_KEY } from '../test/foreign/redmine/redmine-server.js';
import { sdRunner } from './foreign-run.js';
import { writeResults } from './results.js';

const REDMINE = process.env.SD_REDMINE_URL?.replace(/\/$/, '');
if (!REDMINE) throw new Error('bench/redmine.ts needs SD_REDMINE_URL=http://127.0.0.1:PORT of a Redmine started by test/foreign/redmine/redmine-setup.sh');
const ISSUES = Number(process.env.BENCH_REDMINE_ISSUES ?? 1000);
const CHANGED = 10;

const rest = new RedmineRest(REDMINE);
const project = `bench-${Date.now().toString(36)}`;
await rest.createProject(project);
const [statuses, cfs] = [await rest.ids('issue_statuses'), await rest.ids('custom_fields')];
const t = Date.now();
const ids: number[] = [];
for (let n = 1; n <= ISSUES; n++) {
  const id = await rest.createIssue(project, { subject: `bench issue ${n}`, description: `What happened in issue ${n}.`, custom_fields: [{ id: cfs.Severity, value: n % 2 ? 'low' : 'high' }] }, { as: 'alice' });
  await rest.update(id, { notes: `Looked at issue ${n}.`, status_id: statuses['In Progress'] }, { as: 'bob' });
  ids.push(id);
}
console.log(`seeded ${ids.length} issues in ${((Date.now() - t) / 1000).toFixed(0)} s`);

const proxy = await startCountingProxy(REDMINE);
const url = `redmine:${proxy.url}/projects/${project}`;
const home = mkdtempSync(join(tmpdir(), 'sd-bench-redmine-'));
const env = { ...process.env, HOME: home, SD_REPO: join(home, 'replica'), EMAIL: 'bench@example.com', PROPHET_CREDENTIALS: join(home, 'credentials'), REDMINE_API_KEY: ADMIN_KEY };

const run = sdRunner(proxy, env);

const clone = await run('clone', ['clone', '--from', url]);
// Redmine's updated_on has one-second steps: changes in a later second than the clone's window.
await new Promise((resolve) => setTimeout(resolve, 1100));
for (const id of ids.slice(0, CHANGED)) await rest.update(id, { notes: 'changed for the bench' }, { as: 'alice' });
// The changes' seconds over, as between a remote edit and a pull: records updated in the seconds before a search are read again by the next pull.
await new Promise((resolve) => setTimeout(resolve, 2500));
const incremental = await run('incremental pull', ['pull', '--from', url]);
const noop = await run('no-op pull', ['pull', '--from', url]);
await proxy.close();

const rate = (n: number, s: number) => `${(n / s).toFixed(1)} issues/s`;
const said = (out: string) => out.replace(/ (from|into|to) \S+/g, '');
writeResults('redmine', `Redmine sync: clone of ${ISSUES.toLocaleString('en')} issues, incremental pulls (issue 11)`, [
  ['Redmine', '5.0.4 (Debian), SQLite, one thin process, on this machine (shared with other work); issues seeded over REST, each a creation and one journal'],
  [`clone of ${ISSUES} issues`, `${clone.s.toFixed(1)} s, ${clone.requests} requests, ${rate(ISSUES, clone.s)} (${said(clone.out)})`],
  [`pull with ${CHANGED} issues changed (a note each)`, `${incremental.s.toFixed(1)} s, ${incremental.requests} requests (${said(incremental.out)})`],
  ['pull with nothing changed', `${noop.s.toFixed(1)} s, ${noop.requests} requests (${said(noop.out)})`],
  ["where the clone's time goes", `${(clone.requests / ISSUES).toFixed(2)} requests an issue (the issue with its journals and files in one answer), ${((clone.s * 1000) / clone.requests).toFixed(0)} ms a request. A pull is O(changed): key, project, search, the project's three lists, then one per changed issue`],
]);
