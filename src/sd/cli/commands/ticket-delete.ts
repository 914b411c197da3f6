import { UsageError } from '../../../prophet/index.js';
import type { Command, Context } from '../../../prophet/index.js';
import { TICKET } from '../../model/record-types.js';
import { deleteTicket, ticketAttachments, ticketComments, type Dependents } from '../../model/tickets.js';
import { ask, canPrompt } from '../interact.js';
import { ID_OPTIONS } from './record-args.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What to do with the comments and attachments: the flag, else ask on a terminal, else refuse. */
function chooseDependents(ctx: Context, comments: number, attachments: number): Dependents | undefined {
  if (ctx.flag('with-comments') && ctx.flag('keep-comments')) throw new UsageError('give either --with-comments or --keep-comments, not both');
  if (ctx.flag('with-comments')) return 'delete';
  if (ctx.flag('keep-comments') || comments + attachments === 0) return 'keep';
  const what = [comments && plural(comments, 'comment'), attachments && plural(attachments, 'attachment')].filter(Boolean).join(' and ');
  if (!canPrompt(ctx)) {
    throw new UsageError(`the ticket has ${what}: add --with-comments to delete them too, or --keep-comments to keep them`);
  }
  const answer = ask(ctx, `The ticket has ${what}. Delete them too? [y]es / [k]eep them / [C]ancel: `).toLowerCase();
  if (answer.startsWith('y')) return 'delete';
  if (answer.startsWith('k')) return 'keep';
  return undefined;
}

export const ticketDelete: Command = {
  names: ['ticket delete', 'ticket del', 'ticket rm'],
  summary: 'Delete a ticket, and its comments and attachments if you say so',
  usage: ['ticket delete ID [--with-comments | --keep-comments]'],
  options: { flags: ['with-comments', 'keep-comments'], values: ID_OPTIONS },
  run(ctx) {
    const replica = ctx.replica();
    replica.requireIdentity();
    const ticket = replica.get(ctx.recordId(), TICKET);
    const dependents = chooseDependents(ctx, ticketComments(replica, ticket.uuid).length, ticketAttachments(replica, ticket.uuid).length);
    if (!dependents) {
      ctx.out('Nothing deleted.');
      return 1;
    }
    const result = deleteTicket(replica, ticket.uuid, dependents);
    if (ctx.json) {
      ctx.printJson(result);
      return;
    }
    ctx.out(`Ticket ${result.luid} (${result.uuid}) deleted.`);
    const n = result.comments + result.attachments;
    if (n) ctx.out(dependents === 'delete' ? `Deleted its ${plural(result.comments, 'comment')} and ${plural(result.attachments, 'attachment')}.` : `Kept its ${plural(result.comments, 'comment')} and ${plural(result.attachments, 'attachment')}.`);
  },
};
