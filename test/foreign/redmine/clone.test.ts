import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { allTickets, attachmentBytes, commentTexts, numbersAt, sdOk, sdRun, ticketBySummary } from '../sd-side.js';
import { describeRedmine, freshProject, redmineUrl, redmineUser } from './redmine-test.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describeRedmine('sd clone --from redmine:URL/projects/ID', { timeout: 900_000 }, () => {
  it('copies a project: every field, journals as comments and history with their real authors, files byte for byte, statuses and versions as settings', async () => {
    const p = await freshProject({ versions: ['1.0', '2.0'], categories: ['hardware', 'network'] });
    const [versions, categories, statuses, priorities, users, cfs] = [await p.rest.ids('versions', p.project), await p.rest.ids('issue_categories', p.project), await p.rest.ids('issue_statuses'), await p.rest.ids('issue_priorities'), await p.rest.ids('users'), await p.rest.ids('custom_fields')];
    const core = Buffer.concat([Buffer.from([0, 0, 0xff, 0xfe, 0x0d, 0x0a, 0x80, 0x1b]), randomBytes(200_000), Buffer.from([0])]);
    const fire = await p.rest.createIssue(
      p.project,
      {
        tracker_id: 2,
        subject: 'Printer on fire',
        description: 'It is on fire.\r\nReally.',
        priority_id: priorities.Urgent,
        assigned_to_id: users.bob,
        category_id: categories.hardware,
        fixed_version_id: versions['1.0'],
        start_date: '2026-03-01',
        due_date: '2026-03-15',
        custom_fields: [
          { id: cfs.Severity, value: 'high' },
          { id: cfs.Tags, value: ['hardware', 'urgent'] },
          { id: cfs.Customer, value: 'ACME' },
        ],
      },
      { as: 'alice', files: [{ name: 'core.bin', type: 'application/octet-stream', bytes: core }] },
    );
    await p.rest.update(fire, { notes: 'Checked the toner.', custom_fields: [{ id: cfs.Severity, value: 'critical' }] }, { as: 'bob' });
    await p.rest.update(fire, { notes: 'A photo.', status_id: statuses.Feedback, fixed_version_id: versions['2.0'] }, { as: 'alice', files: [{ name: 'shot.png', type: 'image/png', bytes: PNG }] });
    await p.rest.update(fire, { description: 'It was on fire.' }, { as: 'bob' });
    await p.rest.update(fire, { notes: 'Members only: the customer is difficult.', private_notes: true }, { as: 'bob' });
    const slow = await p.rest.createIssue(p.project, { subject: 'Slow login' }, { as: 'bob' });
    await p.rest.update(slow, { status_id: statuses.Closed }, { as: 'alice' });

    const u = redmineUser();
    const cloned = await sdRun(u, ['clone', '--from', redmineUrl(p)]);
    expect(cloned.code, cloned.stderr).toBe(0);
    // A private note is for the project's members: it stays in Redmine, and a notice says so.
    expect(cloned.stderr).toMatch(/private notes are not pulled/);

    expect(allTickets(u).map((t) => t.props.summary)).toEqual(['Printer on fire', 'Slow login']);
    const t = ticketBySummary(u, 'Printer on fire');
    expect(t.props).toMatchObject({
      tracker: 'Feature',
      status: 'stalled',
      priority: 'urgent',
      owner: 'bob@example.test',
      reporter: 'alice@example.test',
      component: 'hardware',
      milestone: '2.0',
      starts: '2026-03-01',
      due: '2026-03-15',
      'cf-severity': 'critical',
      'cf-tags': 'hardware, urgent',
      'cf-customer': 'ACME',
      description: 'It was on fire.',
    });
    // Journals' notes are comments by their authors; the description stays a property, never overwritten by them.
    expect(commentTexts(t)).toEqual(['A photo.', 'Checked the toner.']);
    expect(Object.fromEntries(t.comments.map((c) => [c.props.content, c.props.creator]))).toEqual({ 'Checked the toner.': 'bob@example.test', 'A photo.': 'alice@example.test' });
    expect(t.attachments.map((a) => a.props.name).sort()).toEqual(['core.bin', 'shot.png']);
    const file = (name: string) => t.attachments.find((a) => a.props.name === name)!;
    expect(attachmentBytes(u, file('core.bin').luid).equals(core)).toBe(true);
    expect(attachmentBytes(u, file('shot.png').luid).equals(PNG)).toBe(true);
    expect(file('shot.png').props.content_type).toBe('image/png');

    // The history (Redmine keeps line ends as CRLF): the creation with its first values by alice, each journal's changes by its author.
    const history = t.history as Array<{ creator: string; prop_changes?: Record<string, { old_value: string | null; new_value: string | null }> }>;
    const changed = (prop: string) => history.filter((h) => h.prop_changes?.[prop]).map((h) => [h.creator, h.prop_changes![prop]!.old_value, h.prop_changes![prop]!.new_value]);
    expect(changed('cf-severity')).toEqual([
      ['alice@example.test', null, 'high'],
      ['bob@example.test', 'high', 'critical'],
    ]);
    expect(changed('milestone')).toEqual([
      ['alice@example.test', null, '1.0'],
      ['alice@example.test', '1.0', '2.0'],
    ]);
    expect(changed('description')).toEqual([
      ['alice@example.test', null, 'It is on fire.\r\nReally.'],
      ['bob@example.test', 'It is on fire.\r\nReally.', 'It was on fire.'],
    ]);
    // Redmine starts every issue New (its default workflow gives no other status at creation).
    expect(changed('status')).toEqual([
      ['alice@example.test', null, 'new'],
      ['alice@example.test', 'new', 'stalled'],
    ]);
    const closed = ticketBySummary(u, 'Slow login');
    expect(closed.props.status).toBe('closed');
    expect(closed.props.reporter).toBe('bob@example.test');

    // The project's statuses (closed ones inactive), versions and categories are SD's settings.
    const settings = JSON.parse(u.ok(['settings', 'show', '--json'])) as Array<{ label: string; value: unknown }>;
    const value = (label: string) => settings.find((s) => s.label === label)?.value;
    expect(value('statuses')).toEqual(['new', 'open', 'resolved', 'stalled', 'closed', 'rejected']);
    expect(value('active_statuses')).toEqual(['new', 'open', 'resolved', 'stalled']);
    expect(value('milestones')).toEqual(['1.0', '2.0']);
    expect(value('components')).toEqual(['hardware', 'network']);
  });

  it('clones a project with more issues than one answer holds', async () => {
    const p = await freshProject();
    for (let n = 1; n <= 105; n++) await p.rest.createIssue(p.project, { subject: `issue ${String(n).padStart(3, '0')}` });
    const u = redmineUser();
    const report: unknown = JSON.parse(await sdOk(u, ['clone', '--from', redmineUrl(p), '--json']));
    expect(numbersAt(report, /ticket/i)).toContain(105);
    expect(allTickets(u).map((t) => t.props.summary)).toEqual(Array.from({ length: 105 }, (_, i) => `issue ${String(i + 1).padStart(3, '0')}`));
  });
});
