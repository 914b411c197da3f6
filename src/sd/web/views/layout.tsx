import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { CSRF_FIELD } from '../../../prophet/index.js';
import type { Links } from '../links.js';

/** What every page needs besides its own content. */
export interface PageContext {
  links: Links;
  project: string;
  version: string;
  stylesheet: string;
  script?: string;
  /** The session's anti-forgery token; absent where nothing can be written (read-only, the static export). */
  csrf?: string;
  /** The server asks for a login to write or read, and this browser has not given one. */
  loginOffered: boolean;
  loggedIn: boolean;
  /** The token the logout form carries: a login that may not write (a read scope, a read-only server) must still be able to end itself. */
  logoutCsrf?: string;
}

export function Csrf({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />;
}

/** A form that posts to the server with the session's anti-forgery token. */
export function PostForm(props: { ctx: PageContext; action: string; class?: string; multipart?: boolean; children: ComponentChildren }) {
  return (
    <form method="post" action={props.action} class={props.class} enctype={props.multipart ? 'multipart/form-data' : undefined}>
      <Csrf ctx={props.ctx} />
      {props.children}
    </form>
  );
}

function Menu({ ctx }: { ctx: PageContext }) {
  const { links } = ctx;
  const live = links.live;
  return (
    <nav class="menu">
      <a class="brand" href={links.overview}>SD</a>
      <a href={links.overview}>Overview</a>
      <a href={links.list()}>Active tickets</a>
      <a href={links.list({ status: '*' })}>All tickets</a>
      <a href={links.history()}>History</a>
      {live && <a href={live.conflicts}>Conflicts</a>}
      {live && <a href={live.sync}>Sync</a>}
      {live && ctx.csrf && <a class="new" href={live.newTicket}>New ticket</a>}
      {live && (
        <form class="search" method="get" action={links.list()}>
          <input type="search" name="q" placeholder="Search or ticket id" aria-label="Search tickets" />
        </form>
      )}
      {live && ctx.loginOffered && !ctx.loggedIn && <a href={live.login}>Log in</a>}
      {live && ctx.loggedIn && (
        <PostForm ctx={{ ...ctx, csrf: ctx.logoutCsrf }} action={live.logout} class="inline">
          <button type="submit" class="link">Log out</button>
        </PostForm>
      )}
    </nav>
  );
}

/** A complete HTML page: the menu, the title and the content; every value in it escaped by preact. */
export function renderPage(ctx: PageContext, title: string, body: VNode): string {
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - ${ctx.project}`}</title>
        <link rel="stylesheet" href={ctx.stylesheet} />
        {ctx.script && <script src={ctx.script} defer />}
      </head>
      <body>
        <Menu ctx={ctx} />
        <main>
          <p class="project">{ctx.project}</p>
          <h1>{title}</h1>
          {body}
        </main>
        <footer>SD {ctx.version} - issue tracking for the distributed age</footer>
      </body>
    </html>
  );
  return `<!DOCTYPE html>\n${renderToString(page)}`;
}
