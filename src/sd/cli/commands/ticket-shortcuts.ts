import { UsageError } from '../../../prophet/index.js';
import type { Command } from '../../../prophet/index.js';
import { claimantEmail } from '../../model/tickets.js';
import { ID_OPTIONS as ID } from './record-args.js';
import { updateTicket } from './ticket-edit.js';

export const ticketResolve: Command = {
  names: ['ticket resolve', 'ticket close'],
  summary: 'Close a ticket (status closed); -e opens the editor with it pre-filled',
  usage: ['ticket resolve ID [-e]'],
  options: { flags: ['edit', 'verbose', 'all-props'], values: ID, short: { e: 'edit', v: 'verbose', a: 'all-props' } },
  run(ctx) {
    updateTicket(ctx, ctx.recordId(), { status: 'closed' }, ctx.flag('edit'));
  },
};

export const ticketClaim: Command = {
  names: ['ticket claim', 'ticket take'],
  summary: 'Make yourself the owner of a ticket',
  usage: ['ticket claim ID'],
  options: { values: ID },
  run(ctx) {
    const id = ctx.recordId();
    updateTicket(ctx, id, { owner: claimantEmail(ctx.replica()) }, false);
  },
};

export const ticketGive: Command = {
  names: ['ticket give', 'ticket assign'],
  summary: 'Make someone the owner of a ticket',
  usage: ['ticket give ID EMAIL'],
  run(ctx) {
    const [id, email, extra] = ctx.words;
    if (!id || !email || extra !== undefined) throw new UsageError(`give a ticket id and the new owner's email (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
    updateTicket(ctx, id, { owner: email }, false);
  },
};
