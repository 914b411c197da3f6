import { ProphetError, ValidationError } from '../../prophet/index.js';
import type { Context, RecordState, Replica } from '../../prophet/index.js';
import { COMMENT, TICKET } from '../model/record-types.js';
import { readSdSettings } from '../model/settings.js';
import { canPrompt, confirm } from './interact.js';
import { METADATA_PROPS, parseTemplate, renderTemplate, withErrors, type ParsedTemplate } from './template.js';
import { commonTicketProps } from '../model/ticket-fields.js';

/** What -v adds to a template: descriptions and the lists of valid values. */
function verboseHelp(replica: Replica, verbose: boolean) {
  if (!verbose) return {};
  const s = readSdSettings(replica);
  return { descriptions: s.propDescriptions, validValues: { status: s.statuses, milestone: s.milestones, component: s.components } };
}

function lineLength(replica: Replica): number {
  return Number(replica.config.get('core.cli-line-length')) || 80;
}

/**
 * Opens the editor on a template until what comes back is accepted by
 * `apply`. On a validation error the template is reopened with the errors
 * on top: after asking, on a terminal; without one (a script as $EDITOR)
 * up to three times. An unchanged buffer aborts.
 */
function editUntilValid<T>(ctx: Context, template: string, name: string, apply: (parsed: ParsedTemplate) => T): T {
  let text = template;
  for (let round = 1; ; round++) {
    const edited = ctx.editText(text, name);
    if (edited === text) throw new ProphetError('Aborted.', 'aborted');
    try {
      return apply(parseTemplate(edited));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      ctx.err(err.message);
      const again = canPrompt(ctx) ? confirm(ctx, 'Whoops, an error occurred processing your ticket.\nTry editing again? (Errors will be shown.)') : round < 3;
      if (!again) throw err;
      text = withErrors(edited, err.message);
    }
  }
}

export interface EditResult {
  ticket: { luid: number; uuid: string };
  changed: boolean;
  comment?: { luid: number; uuid: string };
}

function commentRef(replica: Replica, uuid: string | undefined) {
  if (!uuid) return undefined;
  const row = replica.findRecord(uuid)!;
  return { luid: row.luid, uuid };
}

/** `ticket create` in the editor: defaults and command-line values pre-filled. */
export function createInEditor(ctx: Context, replica: Replica, given: Record<string, string>, verbose: boolean): EditResult {
  const s = readSdSettings(replica);
  const email = replica.requireIdentity();
  const defaults: Record<string, string | undefined> = { status: s.defaultStatus, milestone: s.defaultMilestone, component: s.defaultComponent, reporter: email };
  const shown = commonTicketProps(replica).filter((p) => !METADATA_PROPS.includes(p));
  for (const p of Object.keys(given)) if (!shown.includes(p) && !METADATA_PROPS.includes(p)) shown.push(p);
  const template = renderTemplate({
    metadata: [['creator', email], ['original_replica', replica.uuid]],
    details: shown.map((p) => [p, given[p] ?? defaults[p] ?? '']),
    lineLength: lineLength(replica),
    ...verboseHelp(replica, verbose),
  });
  return editUntilValid(ctx, template, 'new-ticket.txt', ({ props, comment }) => {
    // Two changesets: a comment's hook checks that its ticket exists, which it does only once committed.
    const ticket = replica.create(TICKET, props);
    const created = comment ? replica.create(COMMENT, { ticket: ticket.uuid, content: comment }) : undefined;
    return { ticket, changed: true, comment: created };
  });
}

/**
 * `ticket update` in the editor: shown properties that come back removed
 * or blank are deleted, properties not shown are left alone, and the
 * property changes and the new comment are one changeset.
 */
export function updateInEditor(ctx: Context, replica: Replica, ticket: RecordState, opts: { allProps: boolean; verbose: boolean; preset?: Record<string, string> }): EditResult {
  const common = commonTicketProps(replica).filter((p) => !METADATA_PROPS.includes(p));
  const shown = [...common];
  if (opts.allProps) for (const p of Object.keys(ticket.props).sort()) if (!shown.includes(p) && !METADATA_PROPS.includes(p)) shown.push(p);
  for (const p of Object.keys(opts.preset ?? {})) if (!shown.includes(p)) shown.push(p);
  const values = { ...ticket.props, ...opts.preset };
  const template = renderTemplate({
    metadata: [
      ['id', `${ticket.luid} (${ticket.uuid})`],
      ...METADATA_PROPS.filter((p) => p !== 'id' && ticket.props[p]).map((p): [string, string] => [p, ticket.props[p]!]),
    ],
    details: shown.map((p) => [p, values[p] ?? '']),
    lineLength: lineLength(replica),
    ...verboseHelp(replica, opts.verbose),
  });
  return editUntilValid(ctx, template, `ticket-${ticket.luid}.txt`, ({ props, comment }) => {
    const changes: Record<string, string> = {};
    for (const p of shown) if (ticket.props[p] !== undefined && props[p] === undefined) changes[p] = '';
    for (const [p, v] of Object.entries(props)) if (!METADATA_PROPS.includes(p) && ticket.props[p] !== v) changes[p] = v;
    let changed = false;
    let commentUuid: string | undefined;
    replica.edit((e) => {
      changed = e.update(TICKET, ticket.uuid, changes);
      if (comment) commentUuid = e.create(COMMENT, { ticket: ticket.uuid, content: comment });
    });
    return { ticket: { luid: ticket.luid, uuid: ticket.uuid }, changed, comment: commentRef(replica, commentUuid) };
  });
}
