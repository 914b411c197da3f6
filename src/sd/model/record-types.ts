import type { HookContext, RecordTypeDefinition } from '../../prophet/index.js';
import { DUE_FORMS, isCanonicalDue, parseDue, timestamp } from './dates.js';
import { TICKET_QUERY_WORDS } from './query-words.js';
import { readSdSettings } from './settings.js';

import { ATTACHMENT, COMMENT, TICKET } from './type-names.js';

export { ATTACHMENT, COMMENT, TICKET };

const nonEmpty = (list: string[]) => (list.length ? list : undefined);

/** A ticket's status, milestone and component must be in the settings' lists, unless forced with `!`. */
export function ticketType(): RecordTypeDefinition {
  const settings = (ctx: HookContext) => readSdSettings(ctx.replica);
  return {
    type: TICKET,
    declaredProps: ['summary'],
    defaults: {
      status: (ctx) => settings(ctx).defaultStatus,
      milestone: (ctx) => settings(ctx).defaultMilestone,
      component: (ctx) => settings(ctx).defaultComponent,
      reporter: (ctx) => ctx.props.creator,
      created: (ctx) => ctx.props.date ?? timestamp(),
    },
    canonicalize: {
      status: (value) => (value?.toLowerCase() === 'resolved' ? 'closed' : value),
      // An unparseable value is kept so that validation can name it.
      due: (value) => (value === undefined ? value : (parseDue(value) ?? value)),
    },
    recommendedValues: {
      status: (ctx) => nonEmpty(settings(ctx).statuses),
      milestone: (ctx) => nonEmpty(settings(ctx).milestones),
      component: (ctx) => nonEmpty(settings(ctx).components),
    },
    validate: {
      status: (value) => (value === undefined ? 'a ticket must have a status' : undefined),
      summary: (value, ctx) => (ctx.op === 'create' && (value === undefined || value.trim() === '') ? 'a ticket needs a summary: give --summary TEXT' : oneLine('summary', value)),
      due: (value) =>
        value === undefined || isCanonicalDue(value) ? undefined : `'${value}' is not a date I understand: give ${DUE_FORMS}`,
    },
    queryWords: TICKET_QUERY_WORDS,
    // A ticket is found by the words of its comments and the names of its attachments.
    textFrom: [
      { type: COMMENT, prop: 'ticket' },
      { type: ATTACHMENT, prop: 'ticket' },
    ],
  };
}

/** A list shows one ticket a line: a line break in a one-line field would split it. */
function oneLine(name: string, value: string | undefined): string | undefined {
  return value !== undefined && /[\r\n]/.test(value) ? `a ticket's ${name} is one line: remove the line break` : undefined;
}

/** Turns what a user typed for a ticket (local id, uuid or prefix) into the ticket's uuid. */
function ticketReference(value: string | undefined, ctx: HookContext): string | undefined {
  if (value === undefined) return value;
  try {
    return ctx.replica.resolve(value, TICKET).uuid;
  } catch {
    return value;
  }
}

function ticketMustExist(what: string) {
  return (value: string | undefined, ctx: HookContext): string | undefined => {
    if (ctx.op !== 'create') return undefined;
    if (value === undefined) return `a ${what} must belong to a ticket (give its id)`;
    const row = ctx.replica.findRecord(value);
    return row?.live && row.type === TICKET ? undefined : `there is no ticket '${value}'`;
  };
}

export function commentType(): RecordTypeDefinition {
  return {
    type: COMMENT,
    declaredProps: ['content', 'ticket'],
    defaults: { created: () => timestamp() },
    canonicalize: { ticket: ticketReference },
    validate: {
      content: (value) => (value === undefined || value.trim() === '' ? 'a comment needs some text' : undefined),
      ticket: ticketMustExist('comment'),
    },
  };
}

export function attachmentType(): RecordTypeDefinition {
  return {
    type: ATTACHMENT,
    declaredProps: ['ticket', 'name'],
    defaults: { created: () => timestamp() },
    canonicalize: { ticket: ticketReference },
    validate: {
      ticket: ticketMustExist('attachment'),
      name: (value) => (value === undefined ? 'an attachment needs a name' : undefined),
    },
  };
}
