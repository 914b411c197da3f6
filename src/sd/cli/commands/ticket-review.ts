import { createInterface } from 'node:readline';
import type { Command } from '../../../prophet/index.js';
import { TICKET } from '../../model/record-types.js';
import { readSdSettings } from '../../model/settings.js';
import { findTickets } from '../../model/tickets.js';
import { menuLines, readCodes, reviewMenu } from '../review-menu.js';
import { ticketFields } from '../../model/ticket-fields.js';
import { fieldLines, showTicketLines } from '../ticket-view.js';

/** `ticket review`: each listed ticket in turn, changed from one prompt by menu codes (reference §3.3). */
export const ticketReview: Command = {
  names: ['ticket review'],
  summary: 'Step through tickets, changing each from one prompt (status, milestone, component by menu codes)',
  usage: ['ticket review [--regex RE] [-- status=open ...]   (at Update>: codes like sc+mb, b basics, d details, Enter next, q quit)'],
  options: { values: ['regex'] },
  takesProps: true,
  async run(ctx) {
    ctx.noMoreWords();
    const replica = ctx.replica();
    const tickets = findTickets(replica, { criteria: ctx.props ?? [], regex: ctx.option('regex') });
    if (!tickets.length) {
      ctx.err('No tickets found.');
      return;
    }
    replica.requireIdentity();
    const s = readSdSettings(replica);
    const menu = reviewMenu([['status', s.statuses], ['milestone', s.milestones], ['component', s.components]]);
    const rl = createInterface({ input: process.stdin, terminal: false });
    const lines = rl[Symbol.asyncIterator]();
    const ask = async (): Promise<string | undefined> => {
      ctx.io.stdout('Update> ');
      const next = await lines.next();
      return next.done ? undefined : next.value.trim();
    };
    try {
      for (const listed of tickets) {
        const ticket = replica.get(listed.uuid, TICKET);
        ctx.out('', `${ticket.luid}: ${ticket.props.summary ?? '-'}`, ...menuLines(menu, ticket.props));
        for (;;) {
          const answer = await ask();
          if (answer === undefined || answer === 'q') return;
          if (answer === '') break;
          const current = replica.get(ticket.uuid, TICKET);
          if (answer === 'b') ctx.out(...fieldLines(ticketFields(replica, current, false), false));
          else if (answer === 'd') ctx.out(...showTicketLines(replica, current, { allProps: true, withHistory: true, batch: false }));
          else {
            const read = readCodes(menu, answer);
            if ('unknown' in read) {
              ctx.out(`No action bound to '${read.unknown}', try again...`);
              continue;
            }
            replica.update(TICKET, ticket.uuid, Object.fromEntries(read.changes.map((c) => [c.name, c.value])));
            for (const c of read.changes) ctx.out(`Done ${c.code}`);
          }
        }
      }
    } finally {
      rl.close();
    }
  },
};
