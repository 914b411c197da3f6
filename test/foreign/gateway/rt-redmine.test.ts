import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeRedmine, freshProject, redmineUrl, redmineUser } from '../redmine/redmine-test.js';
import { describeRt, freshQueue, rtUrl } from '../rt/rt-test.js';
import { allTickets, commentTexts, sdOk, ticketBySummary } from '../sd-side.js';

describeRt('RT and Redmine through one SD replica', () => {
  describeRedmine('the gateway', { timeout: 900_000 }, () => {
    it('relays tickets, comments, files and status both ways; repeated syncs in any order echo or duplicate nothing', async () => {
      const q = await freshQueue('gateway');
      const p = await freshProject();
      const rt = rtUrl(q);
      const redmine = redmineUrl(p);
      const bytes = Buffer.concat([Buffer.from([0, 0xff, 0x0d, 0x0a]), randomBytes(20_000)]);
      const inRt = await q.rest.createTicket(q.queue, { subject: 'Born in RT', content: 'Printer smokes.', status: 'open' });
      await q.rest.comment(inRt, 'Comment made in RT', [{ name: 'log.bin', type: 'application/octet-stream', bytes }]);
      const inRedmine = await p.rest.createIssue(p.project, { subject: 'Born in Redmine', description: 'Disk full.' }, { as: 'alice' });
      await p.rest.update(inRedmine, { notes: 'Note made in Redmine' }, { as: 'bob' });

      const relay = redmineUser('relay@example.com', 'relay');
      await sdOk(relay, ['clone', '--from', rt]);
      await sdOk(relay, ['pull', '--from', redmine]);
      await sdOk(relay, ['push', '--to', redmine]);
      await sdOk(relay, ['push', '--to', rt]);

      // The RT ticket is in Redmine once, with its texts and its file.
      const issues = await p.rest.issues(p.project);
      expect(issues.map((i) => i.subject).sort()).toEqual(['Born in RT', 'Born in Redmine']);
      const copy = await p.rest.issue(issues.find((i) => i.subject === 'Born in RT')!.id);
      expect(copy.status.name).toBe('In Progress');
      expect(await p.rest.notes(copy.id)).toEqual(expect.arrayContaining(['Printer smokes.', 'Comment made in RT']));
      const file = copy.attachments!.find((a) => a.filename === 'log.bin')!;
      expect((await p.rest.download(file.id, 'log.bin')).equals(bytes)).toBe(true);
      // The Redmine issue is in RT once, with its note.
      const tickets = await q.rest.search(q.queue);
      expect(tickets).toHaveLength(2);
      const fromRedmine = tickets.find((id) => id !== inRt)!;
      expect((await q.rest.ticket(fromRedmine)).Subject).toBe('Born in Redmine');
      expect(await q.rest.messages(fromRedmine, 'Comment')).toEqual(expect.arrayContaining([expect.stringContaining('Note made in Redmine')]));

      // Closed in Redmine: resolved in RT.
      const statuses = await p.rest.ids('issue_statuses');
      await p.rest.update(copy.id, { status_id: statuses.Closed, notes: 'Fixed, says Redmine' }, { as: 'bob' });
      await sdOk(relay, ['pull', '--from', redmine]);
      await sdOk(relay, ['push', '--to', rt]);
      expect((await q.rest.ticket(inRt)).Status).toBe('resolved');
      expect(ticketBySummary(relay, 'Born in RT').props.status).toBe('closed');

      for (let round = 0; round < 2; round++) {
        await sdOk(relay, ['pull', '--from', redmine]);
        await sdOk(relay, ['pull', '--from', rt]);
        await sdOk(relay, ['push', '--to', rt]);
        await sdOk(relay, ['push', '--to', redmine]);
      }

      expect((await q.rest.search(q.queue)).length).toBe(2);
      expect((await p.rest.issues(p.project)).length).toBe(2);
      for (const issue of await p.rest.issues(p.project)) {
        const notes = await p.rest.notes(issue.id);
        expect(new Set(notes).size, `duplicate notes on ${issue.subject}: ${JSON.stringify(notes)}`).toBe(notes.length);
        expect((await p.rest.issue(issue.id)).attachments!.length).toBeLessThanOrEqual(1);
      }
      for (const id of await q.rest.search(q.queue)) {
        const messages = [...(await q.rest.messages(id, 'Comment')), ...(await q.rest.messages(id, 'Correspond'))].map((m) => m.trim());
        expect(new Set(messages).size, `duplicate messages on RT ticket ${id}: ${JSON.stringify(messages)}`).toBe(messages.length);
      }
      expect((await q.rest.ticket(inRt)).Status).toBe('resolved');
      expect((await p.rest.issue(copy.id)).status.name).toBe('Closed');
      expect(allTickets(relay).map((t) => t.props.summary).sort()).toEqual(['Born in RT', 'Born in Redmine'].sort());
      for (const t of allTickets(relay)) expect(new Set(commentTexts(t)).size, `duplicate comments on ${t.props.summary}`).toBe(commentTexts(t).length);
    });
  });
});
