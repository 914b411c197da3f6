import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { listen } from '../../http/static-server.js';
import type { SdUser } from '../../sd/sd-cli.js';
import { expectOneLineError, filesContaining, replicaState, sdOk, sdRun } from '../sd-side.js';
import { describeRedmine, freshProject, redmineUrl, redmineUser, type RedmineProject } from './redmine-test.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const WRONG_KEY = 'f'.repeat(40);

/** A project with one issue, cloned into a fresh replica. */
async function cloned(): Promise<{ p: RedmineProject; u: SdUser; url: string }> {
  const p = await freshProject();
  const id = await p.rest.createIssue(p.project, { subject: 'Existing issue' }, { as: 'alice' });
  await p.rest.update(id, { notes: 'An old note' }, { as: 'bob' });
  const u = redmineUser();
  const url = redmineUrl(p);
  await sdOk(u, ['clone', '--from', url]);
  return { p, u, url };
}

/** Runs `sd ...args`, expects one line of error mentioning `mentions`, no key, and the replica as it was. */
async function failsCleanly(u: SdUser, args: string[], env: NodeJS.ProcessEnv, ...mentions: RegExp[]): Promise<string> {
  const before = replicaState(u);
  const r = await sdRun(u, args, env);
  expectOneLineError(r, ...mentions);
  for (const key of [u.env.REDMINE_API_KEY!, WRONG_KEY]) expect(r.stdout + r.stderr).not.toContain(key);
  expect(replicaState(u)).toBe(before);
  return r.stderr;
}

describeRedmine('bad input: one line on stderr, non-zero exit, the local replica unchanged', { timeout: 900_000 }, () => {
  it('a wrong API key (Redmine answers 401), and no key at all', async () => {
    const { u, url } = await cloned();
    await failsCleanly(u, ['pull', '--from', url], { REDMINE_API_KEY: WRONG_KEY }, /API key/, /401/);
    await failsCleanly(u, ['pull', '--from', url], { REDMINE_API_KEY: '' }, /no API key/, /REDMINE_API_KEY/);
    // The key given in the environment is written nowhere.
    expect(filesContaining(u.home, u.env.REDMINE_API_KEY!)).toEqual([]);
  });

  it('an unknown project (404)', async () => {
    const { u, p } = await cloned();
    await failsCleanly(u, ['pull', '--from', redmineUrl({ ...p, project: 'no-such-project-4242' })], {}, /no-such-project-4242/, /no project/);
  });

  it('Redmine unreachable', async () => {
    const { u, p } = await cloned();
    const { url, close } = await listen(createServer());
    await close(); // a port nothing listens on any more
    await failsCleanly(u, ['pull', '--from', redmineUrl(p, url)], {}, new RegExp(`127\\.0\\.0\\.1:${new URL(url).port}`), /cannot reach|refused/);
  });

  it('a server answering HTML instead of JSON', async () => {
    const { u, p } = await cloned();
    const html = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>Welcome to our portal</h1></body></html>'));
    const { url, close } = await listen(html);
    closers.push(close);
    await failsCleanly(u, ['pull', '--from', redmineUrl(p, url)], {}, /HTML/, /JSON/);
  });

  it('a URL that is not a Redmine project', async () => {
    const { u, p } = await cloned();
    await failsCleanly(u, ['pull', '--from', `redmine:${p.server.url}/issues/1`], {}, /not a Redmine project URL/);
  });

  it('an owner Redmine does not know is not sent, with a notice naming it; the rest of the push goes', async () => {
    const { u, p, url } = await cloned();
    const [t] = JSON.parse(u.ok(['ticket', 'list', '--regex', '.', '--json'])) as Array<{ uuid: string }>;
    u.ok(['ticket', 'update', t!.uuid, '--', 'owner=outsider@example.test']);
    u.ok(['ticket', 'comment', t!.uuid, '-m', 'After the unknown owner']);
    const r = await sdRun(u, ['push', '--to', url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/outsider@example\.test/);
    const [issue] = await p.rest.issues(p.project);
    expect(await p.rest.notes(issue!.id)).toContain('After the unknown owner');
  });

  it('a push Redmine refuses stops with one line, keeps the change, and sends it once on the next push', async () => {
    const p = await freshProject({}, 'sd', ['alice']);
    await p.rest.createIssue(p.project, { subject: 'Assigned later' }, { as: 'alice' });
    const u = redmineUser();
    const url = redmineUrl(p);
    await sdOk(u, ['clone', '--from', url]);
    const [t] = JSON.parse(u.ok(['ticket', 'list', '--regex', '.', '--json'])) as Array<{ uuid: string }>;
    u.ok(['ticket', 'update', t!.uuid, '--', 'owner=bob@example.test']);
    u.ok(['ticket', 'comment', t!.uuid, '-m', 'Sent after the retry']);
    // bob is a Redmine user but no member of the project: Redmine refuses him as assignee (422).
    await failsCleanly(u, ['push', '--to', url], {}, /Assignee is invalid/, /sent again/);
    const [issue] = await p.rest.issues(p.project);
    expect(await p.rest.notes(issue!.id)).toEqual([]);
    await p.rest.addMember(p.project, 'bob');
    await sdOk(u, ['push', '--to', url]);
    await sdOk(u, ['push', '--to', url]);
    const after = await p.rest.issue(issue!.id);
    expect(after.assigned_to?.name).toBe('Bob Builder');
    expect(await p.rest.notes(issue!.id)).toEqual(['Sent after the retry']);
  });

  it('an attachment larger than Redmine takes (1 MiB here) fails the push naming it, and stays in SD', async () => {
    const { u, p, url } = await cloned();
    const [t] = JSON.parse(u.ok(['ticket', 'list', '--regex', '.', '--json'])) as Array<{ uuid: string }>;
    const file = join(u.home, 'huge.bin');
    writeFileSync(file, randomBytes(1536 * 1024));
    u.ok(['ticket', 'attachment', 'create', t!.uuid, '-f', file]);
    await failsCleanly(u, ['push', '--to', url], {}, /huge\.bin/, /sent again/);
    const [issue] = await p.rest.issues(p.project);
    expect((await p.rest.issue(issue!.id)).attachments).toEqual([]);
  });
});
