import type { Replica } from '../../prophet/replica/replica.js';
import type { HookContext, RecordTypeDefinition } from '../../prophet/replica/record-types.js';
import { isCanonicalDue, parseDue, timestamp } from './dates.js';
import { readSdSettings } from './settings.js';

export const TICKET = 'ticket';
export const COMMENT = 'comment';
export const ATTACHMENT = 'attachment';

/**
 * Record hooks run inside an edit and need the replica they write to (for
 * settings and for looking up tickets); it is known only once the replica
 * is open, so the hooks ask for it when they run.
 */
export type ReplicaOf = () => Replica;

const nonEmpty = (list: string[]) => (list.length ? list : undefined);

/** A ticket's status, milestone and component must be in the settings' lists, unless forced with `!`. */
export function ticketType(replicaOf: ReplicaOf): RecordTypeDefinition {
  const settings = () => readSdSettings(replicaOf());
  return {
    type: TICKET,
    defaults: {
      status: () => settings().defaultStatus,
      milestone: () => settings().defaultMilestone,
      component: () => settings().defaultComponent,
      reporter: (ctx) => ctx.props.creator,
      created: (ctx) => ctx.props.date ?? timestamp(),
    },
    canonicalize: {
      status: (value) => (value?.toLowerCase() === 'resolved' ? 'closed' : value),
      // An unparseable value is kept so that validation can name it.
      due: (value) => (value === undefined ? value : (parseDue(value) ?? value)),
    },
    recommendedValues: {
      status: () => nonEmpty(settings().statuses),
      milestone: () => nonEmpty(settings().milestones),
      component: () => nonEmpty(settings().components),
    },
    validate: {
      status: (value) => (value === undefined ? 'a ticket must have a status' : undefined),
      due: (value) =>
        value === undefined || isCanonicalDue(value) ? undefined : `'${value}' is not a date I understand (try 2026-03-01, "friday" or "in 2 weeks")`,
    },
  };
}

/** Turns what a user typed for a ticket (local id, uuid or prefix) into the ticket's uuid. */
function ticketReference(replicaOf: ReplicaOf) {
  return (value: string | undefined): string | undefined => {
    if (value === undefined) return value;
    try {
      return replicaOf().resolve(value, TICKET).uuid;
    } catch {
      return value;
    }
  };
}

function ticketMustExist(replicaOf: ReplicaOf, what: string) {
  return (value: string | undefined, ctx: HookContext): string | undefined => {
    if (ctx.op !== 'create') return undefined;
    if (value === undefined) return `a ${what} must belong to a ticket (give its id)`;
    const row = replicaOf().findRecord(value);
    return row?.live && row.type === TICKET ? undefined : `there is no ticket '${value}'`;
  };
}

export function commentType(replicaOf: ReplicaOf): RecordTypeDefinition {
  return {
    type: COMMENT,
    declaredProps: ['content', 'ticket'],
    defaults: { created: () => timestamp() },
    canonicalize: { ticket: ticketReference(replicaOf) },
    validate: {
      content: (value) => (value === undefined || value.trim() === '' ? 'a comment needs some text' : undefined),
      ticket: ticketMustExist(replicaOf, 'comment'),
    },
  };
}

export function attachmentType(replicaOf: ReplicaOf): RecordTypeDefinition {
  return {
    type: ATTACHMENT,
    declaredProps: ['ticket', 'name'],
    defaults: { created: () => timestamp() },
    canonicalize: { ticket: ticketReference(replicaOf) },
    validate: {
      ticket: ticketMustExist(replicaOf, 'attachment'),
      name: (value) => (value === undefined ? 'an attachment needs a name' : undefined),
    },
  };
}
