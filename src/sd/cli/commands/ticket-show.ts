import { showTime } from '../../../prophet/index.js';
import type { Command, Context, RecordState, Replica } from '../../../prophet/index.js';
import { TICKET } from '../../model/record-types.js';
import { ticketAttachments, ticketComments } from '../../model/tickets.js';
import { page } from '../interact.js';
import { ticketFields } from '../../model/ticket-fields.js';
import { attachmentLine, fieldLines, historyLines, showTicketJson, showTicketLines, ticketHistory } from '../ticket-view.js';
import { ID_OPTIONS } from './record-args.js';

/**
 * The ticket views: with --json, `showTicketJson` of the ticket named on
 * the command line (or the part `pick` chooses); otherwise `lines`,
 * through the pager.
 */
function viewTicket(
  ctx: Context,
  lines: (replica: Replica, ticket: RecordState) => string[],
  opts: { includeDeleted?: boolean; pick?: (shown: ReturnType<typeof showTicketJson>) => unknown } = {},
): void {
  const replica = ctx.replica();
  const { luid, uuid, type, props } = replica.resolve(ctx.recordId(), TICKET, { includeDeleted: opts.includeDeleted });
  const ticket = { luid, uuid, type, props };
  if (ctx.json) {
    const shown = showTicketJson(replica, ticket);
    ctx.printJson(opts.pick ? opts.pick(shown) : shown);
  } else page(ctx, lines(replica, ticket));
}

export const ticketShow: Command = {
  names: ['ticket show', 'ticket display'],
  summary: 'Show a ticket: its properties, attachments, and history with comments',
  usage: ['ticket show ID [-a|--all-props] [-s|--skip-history] [--with-history] [-b|--batch]'],
  options: { flags: ['all-props', 'skip-history', 'with-history', 'batch', 'verbose'], values: ID_OPTIONS, short: { a: 'all-props', s: 'skip-history', b: 'batch', v: 'verbose' } },
  run(ctx) {
    viewTicket(ctx, (replica, ticket) => {
      const historyOff = replica.config.get('ticket.no-implicit-history-display') === 'true';
      const withHistory = ctx.flag('with-history') || (!ctx.flag('skip-history') && !historyOff);
      const allProps = ctx.flag('all-props') || ctx.flag('verbose');
      return showTicketLines(replica, ticket, { allProps, batch: ctx.flag('batch'), withHistory });
    });
  },
};

export const ticketBasics: Command = {
  names: ['ticket basics'],
  summary: "Show a ticket's properties only",
  usage: ['ticket basics ID [-a|--all-props] [-b|--batch]'],
  options: { flags: ['all-props', 'batch', 'verbose'], values: ID_OPTIONS, short: { a: 'all-props', b: 'batch', v: 'verbose' } },
  run(ctx) {
    const ticket = ctx.replica().get(ctx.recordId(), TICKET);
    if (ctx.json) {
      ctx.printJson({ luid: ticket.luid, uuid: ticket.uuid, props: ticket.props });
      return;
    }
    ctx.out(...fieldLines(ticketFields(ctx.replica(), ticket, ctx.flag('all-props') || ctx.flag('verbose')), ctx.flag('batch')));
  },
};

/** Everything about a ticket in sections, each once (the original printed `show` first, then repeated it). */
export const ticketDetails: Command = {
  names: ['ticket details'],
  summary: 'Show a ticket with all properties, attachments, comments and history, in sections',
  usage: ['ticket details ID [-b|--batch]'],
  options: { flags: ['batch'], values: ID_OPTIONS, short: { b: 'batch' } },
  run(ctx) {
    viewTicket(ctx, (replica, ticket) => {
      const out = ['= METADATA', '', ...fieldLines(ticketFields(replica, ticket, true), ctx.flag('batch'))];
      const attachments = ticketAttachments(replica, ticket.uuid);
      if (attachments.length) out.push('', '= ATTACHMENTS', '', ...attachments.map(attachmentLine));
      const comments = ticketComments(replica, ticket.uuid);
      if (comments.length) {
        out.push('', '= COMMENTS', '');
        for (const c of comments) out.push(`${c.props.creator ?? '(unknown)'}: ${showTime(c.props.created ?? '')}`, c.props.content ?? '', '');
      }
      out.push('', '= HISTORY', '', ...historyLines(replica, ticketHistory(replica, ticket.uuid).filter((i) => i.kind === 'changeset')));
      return out;
    });
  },
};

/** History stays readable after a delete: that is where the deletion shows. */
export const ticketHistoryCommand: Command = {
  names: ['ticket history'],
  summary: "Show every change to a ticket, with its comments, oldest first (deleted tickets too)",
  usage: ['ticket history ID'],
  options: { values: ID_OPTIONS },
  run(ctx) {
    viewTicket(ctx, (replica, ticket) => historyLines(replica, ticketHistory(replica, ticket.uuid)), { includeDeleted: true, pick: (shown) => shown.history });
  },
};
