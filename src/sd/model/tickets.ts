import { criteriaConditions, parseQuery, ProphetError, referencing, runQuery, timeValue } from '../../prophet/index.js';
import type { ParsedQuery, RecordState, Replica, SearchQuery } from '../../prophet/index.js';
import { ATTACHMENT, COMMENT, TICKET } from './type-names.js';
import { readSdSettings } from './settings.js';

const byCreated = (a: RecordState, b: RecordState) => (timeValue(a.props.created ?? '') ?? 0) - (timeValue(b.props.created ?? '') ?? 0) || a.luid - b.luid;

/** A ticket's comments, oldest first. */
export function ticketComments(replica: Replica, ticketUuid: string): RecordState[] {
  return referencing(replica, COMMENT, 'ticket', ticketUuid).sort(byCreated);
}

/** A ticket's attachments, oldest first. */
export function ticketAttachments(replica: Replica, ticketUuid: string): RecordState[] {
  return referencing(replica, ATTACHMENT, 'ticket', ticketUuid).sort(byCreated);
}

/** What to look for: a query (docs/search.md) and the `-- prop=value` grammar's criteria, AND-ed. */
export interface TicketSearch extends SearchQuery {
  query?: string | ParsedQuery;
}

/**
 * Tickets matching a search, in the query's order (`sort:`, else relevance
 * for free words, else local id). With no query, criteria or regex, only
 * active tickets (`is:active`) are listed.
 */
export function findTickets(replica: Replica, search: TicketSearch = {}): RecordState[] {
  const query = typeof search.query === 'string' ? parseQuery(search.query) : (search.query ?? { terms: [] });
  const unfiltered = !query.terms.length && !search.criteria?.length && search.regex === undefined;
  return runQuery(replica, TICKET, unfiltered ? { ...query, ...parseQuery('is:active') } : query, { conditions: criteriaConditions(search) }).records;
}

export function isActive(replica: Replica, ticket: RecordState): boolean {
  return readSdSettings(replica).activeStatuses.includes(ticket.props.status ?? '');
}

/** What happens to a deleted ticket's comments and attachments. */
export type Dependents = 'delete' | 'keep';

export interface TicketDeletion {
  uuid: string;
  luid: number;
  comments: number;
  attachments: number;
  dependents: Dependents;
}

/**
 * Deletes a ticket, and with `delete` its comments and attachments, in one
 * changeset (so undoing it brings them all back). The original left them
 * orphaned; here the caller must choose.
 */
export function deleteTicket(replica: Replica, id: string, dependents: Dependents): TicketDeletion {
  const ticket = replica.resolve(id, TICKET);
  const comments = ticketComments(replica, ticket.uuid);
  const attachments = ticketAttachments(replica, ticket.uuid);
  replica.edit((e) => {
    e.delete(TICKET, ticket.uuid);
    if (dependents === 'delete') {
      for (const c of comments) e.delete(COMMENT, c.uuid);
      for (const a of attachments) e.delete(ATTACHMENT, a.uuid);
    }
  });
  return { uuid: ticket.uuid, luid: ticket.luid, comments: comments.length, attachments: attachments.length, dependents };
}

/** The email to own a ticket claimed by the current user, or a message saying how to set one. */
export function claimantEmail(replica: Replica): string {
  const email = replica.identity();
  if (!email) {
    throw new ProphetError(
      "no email address to own the ticket: set one with: sd config user.email-address you@example.com --user (or set $EMAIL)",
      'identity',
    );
  }
  return email;
}
