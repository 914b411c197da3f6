import type { Command, Context } from '../../../prophet/index.js';
import { TICKET } from '../../model/record-types.js';
import { ID_OPTIONS } from './record-args.js';
import { createInEditor, updateInEditor, type EditResult } from '../ticket-editor.js';

const EDIT_OPTIONS = { flags: ['edit', 'verbose', 'all-props'], values: ID_OPTIONS, short: { e: 'edit', v: 'verbose', a: 'all-props' } };

function printEdit(ctx: Context, result: EditResult, verb: 'Created' | 'Updated') {
  if (ctx.json) {
    ctx.printJson({ ticket: result.ticket, changed: result.changed, comment: result.comment ?? null });
    return;
  }
  if (verb === 'Created') ctx.out(`Created ticket ${result.ticket.luid} (${result.ticket.uuid})`);
  else ctx.out(result.changed ? `Updated ticket ${result.ticket.luid} (${result.ticket.uuid})` : 'No changes in properties.');
  if (result.comment) ctx.out(`Created comment ${result.comment.luid} (${result.comment.uuid})`);
}

export const ticketCreate: Command = {
  names: ['ticket create', 'ticket new'],
  summary: 'Create a ticket (in $EDITOR when no properties are given)',
  usage: ['ticket create [-e] [-v] [--summary TEXT ...] [-- summary="..." status=open ...]'],
  options: EDIT_OPTIONS,
  takesProps: true,
  run(ctx) {
    ctx.noMoreWords();
    const replica = ctx.replica();
    replica.requireIdentity();
    const given = ctx.propsToSet();
    if (ctx.flag('edit') || Object.keys(given).length === 0) {
      printEdit(ctx, createInEditor(ctx, replica, given, ctx.flag('verbose')), 'Created');
      return;
    }
    const { luid, uuid } = replica.create(TICKET, given);
    if (ctx.json) ctx.printJson({ ticket: { luid, uuid }, props: replica.get(uuid, TICKET).props });
    else ctx.out(`Created ticket ${luid} (${uuid})`);
  },
};

/** Sets properties of a ticket from the command line, or in the editor; shared by update and the shortcuts. */
export function updateTicket(ctx: Context, id: string, given: Record<string, string>, useEditor: boolean): void {
  const replica = ctx.replica();
  replica.requireIdentity();
  const ticket = replica.get(id, TICKET);
  if (useEditor) {
    printEdit(ctx, updateInEditor(ctx, replica, ticket, { allProps: ctx.flag('all-props'), verbose: ctx.flag('verbose'), preset: given }), 'Updated');
    return;
  }
  const changed = replica.update(TICKET, ticket.uuid, given);
  if (ctx.json) ctx.printJson({ ticket: { luid: ticket.luid, uuid: ticket.uuid }, changed, props: replica.get(ticket.uuid, TICKET).props });
  else ctx.out(changed ? `Ticket ${ticket.luid} (${ticket.uuid}) updated.` : 'No properties changed.');
}

export const ticketUpdate: Command = {
  names: ['ticket update', 'ticket edit'],
  summary: "Change a ticket's properties (in $EDITOR when none are given)",
  usage: ['ticket update ID [-e] [-a] [-v] [--status resolved ...] [-- status=open owner=me@example.com ...]'],
  options: EDIT_OPTIONS,
  takesProps: true,
  run(ctx) {
    const given = ctx.propsToSet();
    updateTicket(ctx, ctx.recordId(), given, ctx.flag('edit') || Object.keys(given).length === 0);
  },
};

