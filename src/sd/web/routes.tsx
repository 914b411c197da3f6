import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { HttpProblem, packageVersion, ProphetError } from '../../prophet/index.js';
import type { ExtensionContext } from '../../prophet/index.js';
import { attachmentBytes } from '../model/attachments.js';
import { ATTACHMENT, TICKET } from '../model/record-types.js';
import { readSdSettings } from '../model/settings.js';
import { STYLESHEET, SCRIPT } from './assets.js';
import { serverLinks } from './links.js';
import { projectOverview } from './overview.js';
import { conflictRows, logPage, ticketTitle, ticketView } from './page-data.js';
import { listTitle, listTickets, parseListQuery } from './ticket-query.js';
import { renderPage, type PageContext } from './views/layout.js';
import { TicketListPage } from './views/lists.js';
import { OverviewPage } from './views/overview.js';
import { ConflictsPage, LogPage, LoginPage, MessagePage, SyncPage } from './views/replica-pages.js';
import { PREVIEWED_IMAGES, TicketPage } from './views/ticket.js';
import { registerWrites } from './write-routes.js';
import { configuredReplicas } from './sync-panel.js';

/** Pages may load only this server's stylesheet, script and images, and post only to it. */
const PAGE_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** An attachment is never a page of this origin: no script, no style, sandboxed. */
const ATTACHMENT_POLICY = "default-src 'none'; sandbox";

/** The largest file the attach form takes. */
export const MAX_UPLOAD = 32 * 1024 * 1024;

export interface Ui {
  ctx: ExtensionContext;
  base: string;
  pageContext(request: FastifyRequest): PageContext;
  page(request: FastifyRequest, reply: FastifyReply, title: string, body: VNode, status?: number): FastifyReply;
  /** A page sent as it is made (the sync panel's progress): write parts of its body, then end it. */
  stream(request: FastifyRequest, reply: FastifyReply, title: string): { write(part: VNode): void; end(): void };
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'x-frame-options': 'DENY' };
const SLOT = '<div id="stream"></div>';

/** Whether this browser may write: forms are open locally, or its login's token has the write scope. */
function canWrite(ctx: ExtensionContext, request: FastifyRequest): boolean {
  if (ctx.forms === 'local') return true;
  return ctx.forms === 'login' && !!request.browserSession?.grant?.scopes.includes('write');
}

export async function registerUi(app: FastifyInstance, ctx: ExtensionContext, base: string): Promise<void> {
  const { replica } = ctx;
  const links = serverLinks(base);
  await app.register(formbody);
  await app.register(multipart, { attachFieldsToBody: true, limits: { fileSize: MAX_UPLOAD, files: 1 } });

  const pageContext = (request: FastifyRequest): PageContext => ({
    links,
    project: readSdSettings(replica).projectName,
    version: packageVersion(),
    stylesheet: links.live!.asset('style.css'),
    script: links.live!.asset('app.js'),
    csrf: canWrite(ctx, request) ? (request.browserSession?.csrf ?? undefined) : undefined,
    loginOffered: ctx.forms === 'login' || ctx.loginToRead,
    loggedIn: !!request.browserSession?.grant,
    logoutCsrf: request.browserSession?.csrf,
  });
  const ui: Ui = {
    ctx,
    base,
    pageContext,
    page(request, reply, title, body, status = 200) {
      return reply.status(status).type('text/html; charset=utf-8').send(renderPage(pageContext(request), title, body));
    },
    stream(request, reply, title) {
      const [head, tail] = renderPage(pageContext(request), title, <div id="stream" />).split(SLOT);
      reply.hijack();
      reply.raw.writeHead(200, { ...SECURITY_HEADERS, 'content-security-policy': PAGE_POLICY, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      reply.raw.write(head);
      return { write: (part) => reply.raw.write(renderToString(part)), end: () => reply.raw.end(tail) };
    },
  };

  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.headers(SECURITY_HEADERS);
    if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', PAGE_POLICY);
    return payload;
  });

  // Errors as pages; a missing login sends the browser to the login form.
  app.setErrorHandler((err: Error, request, reply) => {
    const status = err instanceof HttpProblem ? err.statusCode : err instanceof ProphetError ? (err.code === 'not-found' ? 404 : err.code === 'read-only' ? 403 : 400) : 'statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 401 && request.method === 'GET') return reply.redirect(links.live!.login);
    if (status >= 500) request.log.error({ err }, 'request failed');
    const message = status >= 500 ? 'internal server error' : err.message;
    return ui.page(request, reply, status === 404 ? 'Not found' : 'Refused', <MessagePage message={message} back={links.overview} />, status);
  });
  app.setNotFoundHandler((request, reply) => ui.page(request, reply, 'Not found', <MessagePage message={`No page ${request.url.slice(0, 200)}`} back={links.overview} />, 404));

  const page = { config: { browser: true } };
  const open = { config: { browser: true, open: true } };

  app.get('/static/style.css', open, async (_r, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(STYLESHEET));
  app.get('/static/app.js', open, async (_r, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=3600').send(SCRIPT));

  app.get('/', page, async (request, reply) => ui.page(request, reply, 'Project overview', <OverviewPage ctx={pageContext(request)} o={projectOverview(replica)} />));

  app.get<{ Querystring: Record<string, unknown> }>('/tickets', page, async (request, reply) => {
    const query = parseListQuery(request.query);
    // A ticket id typed into the search box goes to the ticket.
    const ticket = query.q && Object.keys(query.filters).length === 0 && /^(\d+|[0-9a-f-]{4,36})$/i.test(query.q) ? tryResolve(replica, query.q) : undefined;
    if (ticket) return reply.redirect(links.ticket(ticket.luid));
    const s = readSdSettings(replica);
    const result = listTickets(replica, query);
    return ui.page(request, reply, listTitle(query), <TicketListPage ctx={pageContext(request)} query={query} result={result} choices={{ status: s.statuses, milestone: s.milestones, component: s.components }} />);
  });

  app.get<{ Params: { id: string } }>('/ticket/:id', page, async (request, reply) => {
    const view = ticketView(replica, request.params.id);
    return ui.page(request, reply, ticketTitle(view.ticket), <TicketPage ctx={pageContext(request)} view={view} />);
  });

  app.get<{ Params: { id: string }; Querystring: { inline?: string } }>('/attachment/:id', page, async (request, reply) => {
    const a = replica.get(request.params.id, ATTACHMENT);
    const type = a.props.content_type ?? 'application/octet-stream';
    const inline = request.query.inline === '1' && PREVIEWED_IMAGES.has(type);
    const name = a.props.name ?? `attachment-${a.luid}`;
    const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return reply
      .type(inline ? type : type.startsWith('text/') ? `${type.split(';')[0]}; charset=utf-8` : type)
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('content-security-policy', ATTACHMENT_POLICY)
      .send(attachmentBytes(a.props));
  });

  app.get<{ Querystring: { page?: string } }>('/history', page, async (request, reply) => {
    const log = logPage(replica, Number.parseInt(request.query.page ?? '1', 10) || 1);
    return ui.page(request, reply, 'History', <LogPage ctx={pageContext(request)} {...log} />);
  });

  app.get('/conflicts', page, async (request, reply) => ui.page(request, reply, 'Conflicts settled by sync', <ConflictsPage ctx={pageContext(request)} rows={conflictRows(replica)} />));

  app.get<{ Querystring: { done?: string } }>('/sync', page, async (request, reply) =>
    ui.page(request, reply, 'Sync', <SyncPage ctx={pageContext(request)} names={configuredReplicas(replica)} />),
  );

  app.get<{ Querystring: { failed?: string } }>('/login', open, async (request, reply) => ui.page(request, reply, 'Log in', <LoginPage ctx={{ ...pageContext(request), csrf: request.browserSession!.csrf }} failed={request.query.failed === '1'} />));

  registerWrites(app, ui, links);
}

function tryResolve(replica: ExtensionContext['replica'], id: string) {
  try {
    return replica.resolve(id, TICKET);
  } catch {
    return undefined;
  }
}
