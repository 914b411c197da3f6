import { ProphetError, showTime } from '../../../prophet/index.js';
import type { Command, Context, RecordState } from '../../../prophet/index.js';
import { COMMENT, TICKET } from '../../model/record-types.js';
import { ticketComments } from '../../model/tickets.js';
import { ID_OPTIONS as ID, ofTicketOrAll, readUserFile, recordLines } from './record-args.js';

const json = (c: RecordState) => ({ luid: c.luid, uuid: c.uuid, props: c.props });

/** The comment text: -m, -f, else the editor on an empty buffer (nothing typed aborts). */
function commentText(ctx: Context): string {
  const given = ctx.option('content');
  if (given !== undefined) return given;
  const file = ctx.option('file');
  if (file !== undefined) return readUserFile(ctx, file).toString('utf8');
  return ctx.editText('', 'comment.txt');
}

export const commentCreate: Command = {
  names: ['ticket comment', 'ticket comment create', 'ticket comment new', 'comment create'],
  summary: 'Add a comment to a ticket (text from -m, -f FILE or $EDITOR)',
  usage: ['ticket comment TICKET-ID [-m TEXT | -f FILE]'],
  options: { values: ['content', 'file', ...ID], short: { m: 'content', f: 'file' } },
  run(ctx) {
    const replica = ctx.replica();
    replica.requireIdentity();
    const ticket = replica.get(ctx.recordId(), TICKET);
    const content = commentText(ctx);
    if (content.trim() === '') throw new ProphetError('Aborted.', 'aborted');
    const { luid, uuid } = replica.create(COMMENT, { ticket: ticket.uuid, content });
    if (ctx.json) ctx.printJson({ comment: { luid, uuid }, ticket: { luid: ticket.luid, uuid: ticket.uuid } });
    else ctx.out(`Created comment ${luid} (${uuid})`);
  },
};

export const ticketCommentsCommand: Command = {
  names: ['ticket comments'],
  summary: "Show a ticket's comments, oldest first",
  usage: ['ticket comments TICKET-ID'],
  options: { values: ID },
  run(ctx) {
    const replica = ctx.replica();
    const ticket = replica.get(ctx.recordId(), TICKET);
    const comments = ticketComments(replica, ticket.uuid);
    if (ctx.json) {
      ctx.printJson(comments.map(json));
      return;
    }
    if (!comments.length) ctx.out('No comments found');
    for (const c of comments) ctx.out(`id: ${c.luid} (${c.uuid})`, `created: ${showTime(c.props.created ?? '')}`, '', c.props.content ?? '', '');
  },
};

export const commentUpdate: Command = {
  names: ['ticket comment update', 'ticket comment edit', 'comment update', 'comment edit'],
  summary: "Change a comment's text (from -m, -f FILE or -- content=..., else in $EDITOR)",
  usage: ['ticket comment update COMMENT-ID [-m TEXT | -f FILE | -e] [-- content="..."]'],
  options: { flags: ['edit'], values: ['content', 'file', ...ID], short: { e: 'edit', m: 'content', f: 'file' } },
  takesProps: true,
  run(ctx) {
    const replica = ctx.replica();
    replica.requireIdentity();
    const comment = replica.get(ctx.recordId(), COMMENT);
    // -m and -f as when the comment was made: the new text.
    const text = ctx.option('content') ?? ctx.option('file');
    const given = text === undefined ? ctx.propsToSet() : { ...ctx.propsToSet(), content: commentText(ctx) };
    const inEditor = ctx.flag('edit') || Object.keys(given).length === 0;
    const changes = inEditor ? { ...given, content: ctx.editText(comment.props.content ?? '', `comment-${comment.luid}.txt`) } : given;
    const changed = replica.update(COMMENT, comment.uuid, changes);
    if (ctx.json) ctx.printJson({ comment: { luid: comment.luid, uuid: comment.uuid }, changed });
    else if (!changed) ctx.out('No properties changed.');
    else ctx.out(inEditor ? `Updated comment ${comment.luid} (${comment.uuid})` : `Comment ${comment.luid} (${comment.uuid}) updated.`);
  },
};

export const commentShow: Command = {
  names: ['ticket comment show', 'comment show'],
  summary: 'Show one comment',
  usage: ['ticket comment show COMMENT-ID'],
  options: { values: ID },
  run(ctx) {
    const c = ctx.replica().get(ctx.recordId(), COMMENT);
    if (ctx.json) {
      ctx.printJson(json(c));
      return;
    }
    ctx.out(...recordLines(c));
  },
};

/** With a ticket id, that ticket's comments (the original ignored the ticket and listed them all). */
export const commentList: Command = {
  names: ['ticket comment list', 'comment list'],
  summary: "List a ticket's comments (every comment without an id)",
  usage: ['ticket comment list [TICKET-ID]'],
  options: { values: ID },
  run(ctx) {
    const comments = ofTicketOrAll(ctx, COMMENT, ticketComments);
    if (ctx.json) {
      ctx.printJson(comments.map(json));
      return;
    }
    for (const c of comments) ctx.out(`${c.luid} ${(c.props.content ?? '').split('\n')[0]}`);
  },
};
