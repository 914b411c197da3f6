import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createdId } from '../../sd/sd-cli.js';
import { startCountingProxy, type CountingProxy } from '../counting-proxy.js';
import { allTickets, commentTexts, remoteSecondsOver, replicaState, sdOk, ticketBySummary } from '../sd-side.js';
import { describeRedmine, freshProject, redmineUrl, redmineUser } from './redmine-test.js';

const proxies: CountingProxy[] = [];
afterEach(async () => {
  while (proxies.length) await proxies.pop()!.close();
});

describeRedmine('sd pull and sd push with a Redmine project', { timeout: 900_000 }, () => {
  it('carries changes made on both sides both ways, once, with files byte for byte and nothing echoed', async () => {
    const p = await freshProject({ versions: ['1.0'], categories: ['ui'] });
    const statuses = await p.rest.ids('issue_statuses');
    const cfs = await p.rest.ids('custom_fields');
    const inRedmine = await p.rest.createIssue(p.project, { subject: 'Changed in Redmine', custom_fields: [{ id: cfs.Severity, value: 'high' }] }, { as: 'alice' });
    const inSd = await p.rest.createIssue(p.project, { subject: 'Changed in SD', description: 'kept' }, { as: 'bob' });
    const u = redmineUser();
    const url = redmineUrl(p);
    await sdOk(u, ['clone', '--from', url]);

    await p.rest.update(inRedmine, { notes: 'Answer from Redmine', status_id: statuses.Resolved, custom_fields: [{ id: cfs.Severity, value: 'low' }] }, { as: 'bob' });
    const local = ticketBySummary(u, 'Changed in SD');
    u.ok(['ticket', 'update', local.uuid, '--', 'status=closed', 'owner=alice@example.test', 'milestone=1.0', 'component=ui', 'cf-severity=critical', 'due=2027-05-01']);
    u.ok(['ticket', 'comment', local.uuid, '-m', 'Note from SD']);
    const file = join(u.home, 'trace.bin');
    const bytes = Buffer.concat([Buffer.from([0, 0xff, 0x0d, 0x0a]), randomBytes(40_000)]);
    writeFileSync(file, bytes);
    u.ok(['ticket', 'attachment', 'create', local.uuid, '-f', file]);
    const made = createdId(u.ok(['ticket', 'create', '--summary', 'Made in SD', '--', 'status=open', 'description=Written in SD']));

    await sdOk(u, ['pull', '--from', url]);
    const pulled = ticketBySummary(u, 'Changed in Redmine');
    expect(pulled.props.status).toBe('resolved');
    expect(pulled.props['cf-severity']).toBe('low');
    expect(pulled.comments.filter((c) => c.props.content === 'Answer from Redmine').map((c) => c.props.creator)).toEqual(['bob@example.test']);

    await sdOk(u, ['push', '--to', url]);
    const pushed = await p.rest.issue(inSd);
    expect(pushed).toMatchObject({ status: { name: 'Closed' }, assigned_to: { name: 'Alice Liddell' }, fixed_version: { name: '1.0' }, category: { name: 'ui' }, due_date: '2027-05-01', description: 'kept' });
    expect(pushed.custom_fields?.find((c) => c.name === 'Severity')?.value).toBe('critical');
    expect((await p.rest.notes(inSd)).filter((n) => n === 'Note from SD')).toHaveLength(1);
    const files = pushed.attachments!.filter((a) => a.filename === 'trace.bin');
    expect(files).toHaveLength(1);
    expect((await p.rest.download(files[0]!.id, 'trace.bin')).equals(bytes)).toBe(true);
    const all = await p.rest.issues(p.project);
    expect(all.map((i) => i.subject).sort()).toEqual(['Changed in Redmine', 'Changed in SD', 'Made in SD']);
    expect(all.find((i) => i.subject === 'Made in SD')).toMatchObject({ status: { name: 'In Progress' }, description: 'Written in SD' });

    // What SD pushed does not come back as new tickets, comments or files; pushing again sends nothing.
    const before = replicaState(u);
    await sdOk(u, ['pull', '--from', url]);
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Changed in Redmine', 'Changed in SD', 'Made in SD']);
    expect(ticketBySummary(u, 'Made in SD').uuid).toBe(made.uuid);
    expect(commentTexts(ticketBySummary(u, 'Changed in SD')).filter((c) => c === 'Note from SD')).toHaveLength(1);
    expect(ticketBySummary(u, 'Changed in SD').attachments).toHaveLength(1);
    expect(replicaState(u)).toBe(before);
    const journals = (await p.rest.issue(inSd)).journals!.length;
    await sdOk(u, ['push', '--to', url]);
    expect((await p.rest.issue(inSd)).journals).toHaveLength(journals);
    expect(await p.rest.issues(p.project)).toHaveLength(3);

    // Reopened in SD: open in Redmine too; then a Redmine edit of that ticket comes back.
    u.ok(['ticket', 'update', pulled.uuid, '--', 'status=open']);
    await sdOk(u, ['push', '--to', url]);
    expect((await p.rest.issue(inRedmine)).status.name).toBe('In Progress');
    await p.rest.update(inRedmine, { subject: 'Renamed in Redmine' }, { as: 'alice' });
    await sdOk(u, ['pull', '--from', url]);
    expect(ticketBySummary(u, 'Renamed in Redmine').props.status).toBe('open');
  });

  it('repeats a sync as a no-op in O(1) requests, whatever the number of issues; one change costs a few more', async () => {
    const p = await freshProject();
    const ids: number[] = [];
    for (let n = 1; n <= 15; n++) ids.push(await p.rest.createIssue(p.project, { subject: `seeded issue ${n}`, description: `body ${n}` }, { as: 'alice' }));
    await p.rest.update(ids[2]!, { notes: 'an old note' }, { as: 'bob' });
    const proxy = await startCountingProxy(p.server.url);
    proxies.push(proxy);
    const url = redmineUrl(p, proxy.url);
    const u = redmineUser();
    await remoteSecondsOver();
    await sdOk(u, ['clone', '--from', url]);
    expect(allTickets(u)).toHaveLength(15);
    const before = replicaState(u);

    proxy.reset();
    await sdOk(u, ['pull', '--from', url]);
    expect(replicaState(u)).toBe(before);
    // The key, the project, one search, the project's statuses, versions and categories: no request per issue.
    expect(proxy.requests.length, JSON.stringify(proxy.requests)).toBeLessThanOrEqual(6);

    proxy.reset();
    await sdOk(u, ['push', '--to', url]);
    expect(proxy.requests.filter((r) => r.method !== 'GET'), JSON.stringify(proxy.requests)).toEqual([]);
    expect(proxy.requests.length).toBeLessThanOrEqual(6);

    await p.rest.update(ids[4]!, { notes: 'One change among fifteen' }, { as: 'bob' });
    proxy.reset();
    await sdOk(u, ['pull', '--from', url]);
    expect(proxy.requests.length, JSON.stringify(proxy.requests)).toBeLessThan(15);
    const changed = allTickets(u).filter((t) => commentTexts(t).includes('One change among fifteen'));
    expect(changed.map((t) => t.props.summary)).toEqual(['seeded issue 5']);
  });
});
