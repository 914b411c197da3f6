import { afterEach, expect, it } from 'vitest';
import { sdUserWithReplica } from '../../sd/sd-cli.js';
import { startCountingProxy, type CountingProxy } from '../counting-proxy.js';
import { allTickets, commentTexts, expectKilledPullResumes, expectOneLineError, sdOk, sdRun, type SdTicket } from '../sd-side.js';
import { KEY_ENV, describeRedmine, freshProject, redmineUrl, redmineUser } from './redmine-test.js';

const ISSUES = 30;
const proxies: CountingProxy[] = [];
afterEach(async () => {
  while (proxies.length) await proxies.pop()!.close();
});

/** What must match between two replicas that pulled the same project: per ticket, its fields and its comments. */
function content(tickets: SdTicket[]): unknown[] {
  return tickets.map((t) => ({ summary: t.props.summary, status: t.props.status, description: t.props.description, comments: commentTexts(t), attachments: t.attachments.length }));
}

describeRedmine('interrupted and failed Redmine syncs', { timeout: 900_000 }, () => {
  it('a pull killed midway resumes where it stopped, with nothing duplicated', async () => {
    const p = await freshProject();
    const statuses = await p.rest.ids('issue_statuses');
    for (let n = 1; n <= ISSUES; n++) {
      const id = await p.rest.createIssue(p.project, { subject: `issue ${String(n).padStart(2, '0')}`, description: `body ${n}` }, { as: 'alice' });
      await p.rest.update(id, { notes: `note on ${n}`, status_id: statuses['In Progress'] }, { as: 'bob', files: n % 4 ? [] : [{ name: `f${n}.bin`, type: 'application/octet-stream', bytes: Buffer.from([n, 0, 255]) }] });
    }
    const proxy = await startCountingProxy(p.server.url);
    proxies.push(proxy);
    const url = redmineUrl(p, proxy.url);

    // The whole pull, uninterrupted, to compare with and to know how many requests it takes.
    const whole = redmineUser('ref@example.com', 'ref');
    await sdOk(whole, ['clone', '--from', url]);
    const expected = content(allTickets(whole));
    expect(expected).toHaveLength(ISSUES);
    const total = proxy.requests.length;

    const u = sdUserWithReplica('alice@example.com', 'alice');
    Object.assign(u.env, KEY_ENV);
    // Late enough that some of the pull's transactions are in: one request reads a whole issue (two changesets), and the merge reads twenty ahead.
    await expectKilledPullResumes(u, url, proxy, Math.floor(total * 0.75), total, () => expect(content(allTickets(u))).toEqual(expected));
  });

  it('a push that failed while Redmine was down is sent by the next push, once', async () => {
    const p = await freshProject();
    const id = await p.rest.createIssue(p.project, { subject: 'Pushed late' }, { as: 'alice' });
    const proxy = await startCountingProxy(p.server.url);
    proxies.push(proxy);
    const url = redmineUrl(p, proxy.url);
    const u = redmineUser();
    await sdOk(u, ['clone', '--from', url]);
    const t = allTickets(u)[0]!;
    u.ok(['ticket', 'update', t.uuid, '--', 'status=closed']);
    u.ok(['ticket', 'comment', t.uuid, '-m', 'Sent when Redmine is back']);

    proxy.down = true;
    expectOneLineError(await sdRun(u, ['push', '--to', url]), /Redmine/);
    proxy.down = false;
    expect((await p.rest.issue(id)).status.name).toBe('New');

    await sdOk(u, ['push', '--to', url]);
    expect((await p.rest.issue(id)).status.name).toBe('Closed');
    const sent = async () => (await p.rest.notes(id)).filter((n) => n === 'Sent when Redmine is back');
    expect(await sent()).toHaveLength(1);
    await sdOk(u, ['push', '--to', url]);
    expect(await sent()).toHaveLength(1);
  });
});
