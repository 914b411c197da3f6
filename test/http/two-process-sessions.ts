import { expect } from 'vitest';
import type { Replica } from '../../src/prophet/replica/replica.js';
import type { RunningServer } from '../../src/prophet/server/listen.js';
import { createToken, revokeToken } from '../../src/prophet/server/tokens.js';
import { SD_APP_NAME } from '../../src/sd/model/app.js';
import { TICKET } from '../../src/sd/model/record-types.js';
import { sdWebUi } from '../../src/sd/web/extension.js';
import { serve } from './live-server.js';

/** A browser reduced to its cookie jar of one cookie: enough to follow a session from server to server. */
export class Browser {
  cookie = '';

  async get(server: RunningServer, path: string): Promise<{ status: number; location: string | null; html: string }> {
    const res = await fetch(new URL(path, server.url), { headers: this.headers(), redirect: 'manual' });
    this.keep(res);
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }

  /** A form of `path`'s page, filled in and posted from that page, anti-forgery token and all. */
  async post(server: RunningServer, page: string, action: string, fields: Record<string, string>): Promise<{ status: number; location: string | null }> {
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await this.get(server, page)).html)?.[1] ?? '';
    const res = await fetch(new URL(action, server.url), {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded', origin: new URL(server.url).origin },
      body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    this.keep(res);
    return { status: res.status, location: res.headers.get('location') };
  }

  private headers(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      this.cookie = expired ? '' : pair!.trim();
    }
  }
}

/** Whether the browser's session on `server` is logged in: the home page, not a redirect to the login form. */
export async function loggedIn(browser: Browser, server: RunningServer): Promise<boolean> {
  const home = await browser.get(server, '/ui/');
  if (home.status === 302 && home.location?.endsWith('/ui/login')) return false;
  expect(home.status).toBe(200);
  return true;
}

/**
 * Two servers with SD's web UI over two handles on one database (two
 * processes' worth of state), reads behind a login: a login on A is
 * known to B, a form of B's page is accepted by B, a logout on B ends the
 * login on both, and revoking the token ends its logins everywhere.
 */
export async function sessionsAcrossProcesses(a: Replica, b: Replica): Promise<void> {
  expect(a.app.name).toBe(SD_APP_NAME);
  const opts = { public: false, writable: true, extensions: [sdWebUi] };
  const [serverA, serverB] = [await serve(a, opts), await serve(b, opts)];
  const { token, info } = createToken(a, 'browser', { scopes: ['read', 'write'] });

  const browser = new Browser();
  expect(await loggedIn(browser, serverB)).toBe(false);
  expect(await browser.post(serverA, '/ui/login', '/ui/login', { token })).toEqual({ status: 303, location: '/ui/' });
  const session = browser.cookie;
  expect(await loggedIn(browser, serverB)).toBe(true);

  const created = await browser.post(serverB, '/ui/ticket/new', '/ui/ticket/new', { summary: 'filed through B' });
  expect(created.status).toBe(303);
  expect(a.liveRecords(TICKET).map((t) => t.props.summary)).toEqual(['filed through B']);

  expect((await browser.post(serverB, '/ui/', '/ui/logout', {})).status).toBe(303);
  expect(browser.cookie).toBe('');
  // A copy of the cookie, kept from before the logout, is refused by both.
  browser.cookie = session;
  expect([await loggedIn(browser, serverA), await loggedIn(browser, serverB)]).toEqual([false, false]);

  browser.cookie = '';
  await browser.post(serverB, '/ui/login', '/ui/login', { token });
  expect(await loggedIn(browser, serverA)).toBe(true);
  revokeToken(b, info.id);
  expect([await loggedIn(browser, serverA), await loggedIn(browser, serverB)]).toEqual([false, false]);
}
