import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pull, push, ValidationError } from '../../prophet/index.js';
import type { MergeProgress, Replica } from '../../prophet/index.js';
import { attachmentProperties } from '../model/attachments.js';
import { sdAppDefinition } from '../model/app.js';
import { ATTACHMENT, COMMENT, TICKET } from '../model/record-types.js';
import { readSdSettings } from '../model/settings.js';
import { claimantEmail } from '../model/tickets.js';
import type { Links } from './links.js';
import type { Ui } from './routes.js';
import { configuredReplicas } from './sync-panel.js';
import { FORM_FIELDS, TicketFormPage, type TicketFormView } from './views/ticket-form.js';

type Form = Record<string, unknown>;

/** A text field of a posted form (urlencoded, or multipart where fastify wraps each field). */
function field(body: unknown, name: string): string {
  const v = typeof body === 'object' && body !== null ? (body as Form)[name] : undefined;
  const value = typeof v === 'object' && v !== null && 'value' in v ? v.value : v;
  return typeof value === 'string' ? value : '';
}

const write = { config: { browser: true, access: 'write' as const } };

function formView(replica: Replica, action: string, values: Record<string, string>, extra: Partial<TicketFormView> = {}): TicketFormView {
  const s = readSdSettings(replica);
  return { action, values, comment: '', choices: { status: s.statuses, milestone: s.milestones, component: s.components }, errors: [], descriptions: s.propDescriptions, ...extra };
}

/** The CLI's messages for a refused write, one per line. */
function messages(err: unknown): string[] {
  if (err instanceof ValidationError) return [...err.message.split('\n'), 'You can bypass validation for a property by appending a ! to it.'];
  throw err;
}

export function registerWrites(app: FastifyInstance, ui: Ui, links: Links): void {
  const { replica } = ui.ctx;
  const live = links.live!;
  const see = (reply: FastifyReply, to: string) => reply.redirect(to, 303);

  app.post('/login', { config: { browser: true, open: true } }, async (request, reply) => {
    const ok = ui.ctx.login(request, reply, field(request.body, 'token'));
    return see(reply, ok ? links.overview : `${live.login}?failed=1`);
  });
  app.post('/logout', { config: { browser: true, open: true } }, async (request, reply) => {
    ui.ctx.sessions.logout(request, reply);
    return see(reply, links.overview);
  });

  app.get('/ticket/new', write, async (request, reply) => {
    const s = readSdSettings(replica);
    const defaults = { status: s.defaultStatus ?? '', milestone: s.defaultMilestone ?? '', component: s.defaultComponent ?? '', reporter: replica.identity() ?? '' };
    return ui.page(request, reply, 'New ticket', <TicketFormPage ctx={pageCtx(ui, request)} view={formView(replica, live.newTicket, defaults)} />);
  });

  app.post('/ticket/new', write, async (request, reply) => {
    const values = Object.fromEntries(FORM_FIELDS.map((f) => [f, field(request.body, f)]));
    const comment = field(request.body, 'comment');
    try {
      replica.requireIdentity();
      // Empty fields are left out, so the settings' defaults apply, as on the command line.
      const props = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
      // Two changesets, as `sd ticket create` makes them: a comment must name a committed ticket.
      const ticket = replica.create(TICKET, props);
      if (comment.trim()) replica.create(COMMENT, { ticket: ticket.uuid, content: comment });
      return see(reply, links.ticket(ticket.luid));
    } catch (err) {
      const view = formView(replica, live.newTicket, values, { comment, errors: messages(err) });
      return ui.page(request, reply, 'New ticket', <TicketFormPage ctx={pageCtx(ui, request)} view={view} />, 422);
    }
  });

  app.get<{ Params: { id: string } }>('/ticket/:id/edit', write, async (request, reply) => {
    const ticket = replica.get(request.params.id, TICKET);
    const values = Object.fromEntries(FORM_FIELDS.map((f) => [f, ticket.props[f] ?? '']));
    const view = formView(replica, live.edit(ticket.luid), values, { luid: ticket.luid, original: values });
    return ui.page(request, reply, `Edit ticket ${ticket.luid}`, <TicketFormPage ctx={pageCtx(ui, request)} view={view} />);
  });

  app.post<{ Params: { id: string } }>('/ticket/:id/edit', write, async (request, reply) => {
    const ticket = replica.get(request.params.id, TICKET);
    const values = Object.fromEntries(FORM_FIELDS.map((f) => [f, field(request.body, f)]));
    const original = Object.fromEntries(FORM_FIELDS.map((f) => [f, field(request.body, `original-${f}`)]));
    const comment = field(request.body, 'comment');
    // Only what the user changed is written: a field another peer changed meanwhile is not put back.
    const changes = Object.fromEntries(FORM_FIELDS.filter((f) => values[f] !== original[f]).map((f) => [f, values[f]!.trim() === '' ? null : values[f]!]));
    try {
      replica.requireIdentity();
      replica.edit((e) => {
        if (Object.keys(changes).length) e.update(TICKET, ticket.uuid, changes);
        if (comment.trim()) e.create(COMMENT, { ticket: ticket.uuid, content: comment });
      });
      return see(reply, links.ticket(ticket.luid));
    } catch (err) {
      const view = formView(replica, live.edit(ticket.luid), values, { luid: ticket.luid, original, comment, errors: messages(err) });
      return ui.page(request, reply, `Edit ticket ${ticket.luid}`, <TicketFormPage ctx={pageCtx(ui, request)} view={view} />, 422);
    }
  });

  app.post<{ Params: { id: string } }>('/ticket/:id/comment', write, async (request, reply) => {
    replica.requireIdentity();
    const ticket = replica.get(request.params.id, TICKET);
    replica.create(COMMENT, { ticket: ticket.uuid, content: field(request.body, 'content') });
    return see(reply, links.ticket(ticket.luid));
  });

  app.post<{ Params: { id: string } }>('/ticket/:id/attach', write, async (request, reply) => {
    replica.requireIdentity();
    const ticket = replica.get(request.params.id, TICKET);
    const file = (request.body as Form | undefined)?.file as { toBuffer?: () => Promise<Buffer>; filename?: string; mimetype?: string } | undefined;
    if (!file?.toBuffer || !file.filename) throw new ValidationError({ file: 'choose a file to attach' });
    const bytes = await file.toBuffer();
    // The browser's idea of the type is not trusted: the same detection as `sd ticket attach`.
    const props = await attachmentProperties(bytes, file.filename);
    replica.create(ATTACHMENT, { ...props, ticket: ticket.uuid });
    return see(reply, links.ticket(ticket.luid));
  });

  app.post<{ Params: { id: string } }>('/ticket/:id/quick', write, async (request, reply) => {
    replica.requireIdentity();
    const ticket = replica.get(request.params.id, TICKET);
    const what = field(request.body, 'do');
    const changes: Record<string, string> | undefined =
      what === 'resolve' ? { status: 'closed' } : what === 'claim' ? { owner: claimantEmail(replica) } : what === 'assign' ? { owner: field(request.body, 'owner').trim() } : undefined;
    if (!changes || Object.values(changes).some((v) => v === '')) throw new ValidationError({ action: `nothing to do for '${what}' (resolve, claim, or assign to an email)` });
    replica.update(TICKET, ticket.uuid, changes);
    return see(reply, links.ticket(ticket.luid));
  });

  app.post('/conflicts', write, async (request, reply) => {
    replica.requireIdentity();
    const uuid = field(request.body, 'uuid');
    const prop = field(request.body, 'prop');
    const record = replica.get(uuid);
    // Overriding a decision is an ordinary edit, which syncs like any other.
    replica.update(record.type, record.uuid, { [prop]: field(request.body, 'value') });
    return see(reply, live.conflicts);
  });

  app.post('/sync', write, async (request, reply) =>
    syncWithProgress(ui, links, request, reply, { name: field(request.body, 'name'), direction: field(request.body, 'direction'), keep: field(request.body, 'keep') }),
  );
}

function pageCtx(ui: Ui, request: FastifyRequest) {
  return ui.pageContext(request);
}

/**
 * Pulls or pushes, streaming the page as it goes so the browser shows
 * progress without any script; the end of the page says what happened.
 */
async function syncWithProgress(ui: Ui, links: Links, request: FastifyRequest, reply: FastifyReply, form: { name: string; direction: string; keep: string }): Promise<void> {
  const { replica } = ui.ctx;
  const { name, direction } = form;
  // A browser cannot answer the CLI's conflict prompt: the form says whose value wins when nothing earlier decided.
  const mine = form.keep !== 'theirs';
  const prefer = (direction === 'pull') === mine ? 'target' : 'source';
  if (!configuredReplicas(replica).some((r) => r.name === name)) throw new ValidationError({ replica: `'${name}' is not a configured replica` });
  if (direction !== 'pull' && direction !== 'push') throw new ValidationError({ direction: `'${direction}' is neither pull nor push` });
  const page = ui.stream(request, reply, `${direction === 'pull' ? 'Pulling from' : 'Pushing to'} ${name}`);
  let shown = '';
  const onProgress = (p: MergeProgress) => {
    // About twenty steps a phase: enough to watch, not a line per changeset.
    const key = `${p.phase}:${p.total ? Math.floor((20 * p.done) / p.total) : 0}`;
    if (key === shown) return;
    shown = key;
    page.write(
      <p class="progress">
        {`${p.phase}: `}
        <progress value={p.done} max={Math.max(p.total, 1)} />
        {` ${p.done} / ${p.total}`}
      </p>,
    );
  };
  let outcome: string;
  try {
    const opts = { env: process.env, app: sdAppDefinition, onProgress, prefer };
    const report = direction === 'pull' ? await pull(replica, name, opts) : await push(replica, name, opts);
    const n = report.changesets.integrated;
    const conflicts = report.conflicts.length ? `; ${report.conflicts.length} conflict${report.conflicts.length === 1 ? '' : 's'} settled (see Conflicts)` : '';
    outcome = `${direction === 'pull' ? 'Merged' : 'Pushed'} ${n} changeset${n === 1 ? '' : 's'}${conflicts}.`;
  } catch (err) {
    outcome = `Failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  page.write(
    <div>
      <p class="notice" id="sync-result">{outcome}</p>
      <p><a href={links.live!.sync}>Back to sync</a> · <a href={links.overview}>Overview</a></p>
    </div>,
  );
  page.end();
}
