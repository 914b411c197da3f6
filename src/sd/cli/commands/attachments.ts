import { ProphetError } from '../../../prophet/index.js';
import type { Command, Context, RecordState } from '../../../prophet/index.js';
import { attachmentBytes, attachmentProperties, attachmentSummary } from '../../model/attachments.js';
import { ATTACHMENT, TICKET } from '../../model/record-types.js';
import { ticketAttachments } from '../../model/tickets.js';
import { attachmentLine } from '../ticket-view.js';
import { ID_OPTIONS as ID, ofTicketOrAll, readUserFile, recordLines } from './record-args.js';
const json = (a: RecordState) => ({ luid: a.luid, uuid: a.uuid, props: attachmentSummary(a.props) });

/**
 * Standard input, whole, as bytes. Read as a stream: a terminal's input is
 * non-blocking, so a synchronous read of it fails with EAGAIN.
 */
async function readStdin(ctx: Context): Promise<Buffer> {
  if (process.stdin.isTTY) ctx.err('Please type your attachment and press ctrl-d.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes and name: -f FILE, --content TEXT, or standard input. */
async function attachmentSource(ctx: Context): Promise<{ bytes: Buffer; name: string }> {
  const file = ctx.option('file');
  const name = ctx.option('name');
  if (file !== undefined) return { bytes: readUserFile(ctx, file), name: name ?? file };
  const content = ctx.option('content');
  return { bytes: content !== undefined ? Buffer.from(content, 'utf8') : await readStdin(ctx), name: name ?? 'attachment.txt' };
}

export const attachmentCreate: Command = {
  names: ['ticket attachment create', 'ticket attachment new', 'ticket attach', 'attachment create'],
  summary: 'Attach a file to a ticket, byte for byte (-f FILE, --content TEXT or standard input)',
  usage: ['ticket attachment create TICKET-ID [-f FILE | --content TEXT] [--name NAME] [--content-type TYPE]'],
  options: { values: ['file', 'content', 'name', 'content-type', ...ID], short: { f: 'file' } },
  async run(ctx) {
    const replica = ctx.replica();
    replica.requireIdentity();
    const ticket = replica.get(ctx.recordId(), TICKET);
    const { bytes, name } = await attachmentSource(ctx);
    const props = await attachmentProperties(bytes, name, ctx.option('content-type'));
    const { luid, uuid } = replica.create(ATTACHMENT, { ...props, ticket: ticket.uuid });
    if (ctx.json) ctx.printJson({ attachment: json(replica.get(uuid, ATTACHMENT)), ticket: { luid: ticket.luid, uuid: ticket.uuid } });
    else ctx.out(`Created attachment ${luid} (${uuid})`);
  },
};

export const attachmentList: Command = {
  names: ['ticket attachment list', 'ticket attachment search', 'ticket attachments', 'attachment list'],
  summary: "List a ticket's attachments (every attachment without an id)",
  usage: ['ticket attachment list [TICKET-ID]'],
  options: { values: ID },
  run(ctx) {
    const attachments = ofTicketOrAll(ctx, ATTACHMENT, ticketAttachments);
    if (ctx.json) ctx.printJson(attachments.map(json));
    else ctx.out(...attachments.map(attachmentLine));
  },
};

export const attachmentContent: Command = {
  names: ['ticket attachment content', 'attachment content'],
  summary: "Write an attachment's exact bytes to standard output",
  usage: ['ticket attachment content ATTACHMENT-ID > FILE'],
  options: { values: ID },
  run(ctx) {
    const a = ctx.replica().get(ctx.recordId(), ATTACHMENT);
    const bytes = attachmentBytes(a.props);
    if (ctx.json) ctx.printJson({ luid: a.luid, uuid: a.uuid, content_base64: bytes.toString('base64') });
    else process.stdout.write(bytes);
  },
};

export const attachmentShow: Command = {
  names: ['ticket attachment show', 'attachment show'],
  summary: "Show an attachment's name, type, size and ticket",
  usage: ['ticket attachment show ATTACHMENT-ID'],
  options: { values: ID },
  run(ctx) {
    const a = ctx.replica().get(ctx.recordId(), ATTACHMENT);
    const shown = json(a);
    if (ctx.json) ctx.printJson(shown);
    else ctx.out(...recordLines(shown));
  },
};

export const attachmentRename: Command = {
  names: ['ticket attachment update', 'attachment update'],
  summary: 'Rename an attachment or change its content type',
  usage: ['ticket attachment update ATTACHMENT-ID -- name=NEW content_type=TYPE'],
  options: { values: ID },
  takesProps: true,
  run(ctx) {
    const replica = ctx.replica();
    replica.requireIdentity();
    const a = replica.get(ctx.recordId(), ATTACHMENT);
    const given = ctx.propsToSet();
    const refused = Object.keys(given).filter((k) => k !== 'name' && k !== 'content_type');
    if (refused.length) throw new ProphetError(`only name and content_type can be changed; attach a new file to change its content (not: ${refused.join(', ')})`);
    const changed = replica.update(ATTACHMENT, a.uuid, given);
    if (ctx.json) ctx.printJson({ attachment: json(replica.get(a.uuid, ATTACHMENT)), changed });
    else ctx.out(changed ? `Attachment ${a.luid} (${a.uuid}) updated.` : 'No properties changed.');
  },
};
