import { ProphetError } from '../../prophet/index.js';
import type { PropTerm, QueryExpansion, QueryWord, RecordState, Replica } from '../../prophet/index.js';
import { ATTACHMENT, COMMENT } from './type-names.js';
import { readSdSettings } from './settings.js';
import { claimantEmail } from './tickets.js';

/**
 * SD's words in the query language (docs/search.md), given to Prophet
 * through the ticket type's `queryWords` hook: Prophet knows no statuses,
 * owners or attachments.
 */

function oneValue(term: PropTerm, accepted: string): string {
  if (term.op !== ':' || term.values.length !== 1) throw new ProphetError(`'${term.prop}:' takes one of ${accepted} (column ${term.column})`, 'usage');
  return term.values[0]!;
}

/** `is:active`, `is:inactive`: the status is (not) one of the `active_statuses` setting. */
const isWord: QueryWord = (term, replica) => {
  const value = oneValue(term, 'active, inactive');
  const active = new Set(readSdSettings(replica).activeStatuses);
  if (value === 'active') return [{ kind: 'prop', prop: 'status', op: ':', values: [...active], negated: false, column: term.column }];
  if (value === 'inactive') return (t: RecordState) => !active.has(t.props.status ?? '');
  throw new ProphetError(`'is:${value}' means nothing to sd: use is:active or is:inactive (column ${term.column})`, 'usage');
};

/** `has:attachment`, `has:comment` (tickets with at least one), `has:PROP` (the property is set). */
const hasWord: QueryWord = (term, replica: Replica): QueryExpansion => {
  const value = oneValue(term, 'attachment, comment or a property name');
  const dependent = { attachment: ATTACHMENT, attachments: ATTACHMENT, comment: COMMENT, comments: COMMENT }[value];
  if (dependent) {
    const tickets = new Set(replica.propertyValues(dependent, 'ticket'));
    return (t: RecordState) => tickets.has(t.uuid);
  }
  return (t: RecordState) => (t.props[value] ?? '') !== '';
};

/** `owner:me`, `reporter:me`: the current user's email (`sd config user.email-address`). */
const meWord: QueryWord = (term, replica) => {
  if (term.op !== ':' || !term.values.includes('me')) return undefined;
  const email = claimantEmail(replica);
  return [{ ...term, values: term.values.map((v) => (v === 'me' ? email : v)) }];
};

export const TICKET_QUERY_WORDS: Record<string, QueryWord> = { is: isWord, has: hasWord, owner: meWord, reporter: meWord };
