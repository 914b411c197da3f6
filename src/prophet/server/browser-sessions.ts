import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../model/hash.js';
import type { Replica } from '../replica/replica.js';
import { HttpProblem } from './errors.js';
import { isLoopback } from './exposure.js';
import { StoredLogins } from './stored-logins.js';
import { tokenGrant, type TokenGrant } from './tokens.js';

/** The cookie naming a browser's session; the value is a random id, never a token. */
export const SESSION_COOKIE = 'prophet_session';
/** The form field carrying a session's anti-forgery token. */
export const CSRF_FIELD = '_csrf';

const LOGIN_MS = 12 * 60 * 60 * 1000;

export interface BrowserSession {
  id: string;
  /** The anti-forgery token every form of this session carries. */
  csrf: string;
  /** What the token the browser logged in with grants; null before a login. */
  grant: TokenGrant | null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A session's anti-forgery token, derived from its id: another site can
 * read neither the cookie nor a page of this server, so it cannot make
 * one, and no process needs to remember it. The hash does not give the id back.
 */
function csrfOf(id: string): string {
  return sha256Hex(`prophet csrf\0${id}`);
}

/**
 * Browser sessions of a server with a web UI. A browser cannot send a
 * bearer token, so it logs in once with one (a form) and the session
 * holds what that token grants; every write from a form must carry the
 * session's anti-forgery token, and come from a page of this server.
 * Nothing of a session lives in this process: a session without a login
 * is its cookie alone, and logins are kept in the replica (stored-logins.ts),
 * so any server process on the same database serves any browser.
 */
export class BrowserSessions {
  private readonly logins: StoredLogins;

  constructor(private readonly replica: Replica) {
    this.logins = new StoredLogins(replica);
  }

  /** The request's session, if its cookie names one; its login counts while it lasts and its token is not revoked. */
  find(request: FastifyRequest): BrowserSession | undefined {
    const id = request.cookies[SESSION_COOKIE];
    if (id === undefined || !/^[A-Za-z0-9_-]{32}$/.test(id)) return undefined;
    const login = this.logins.find(id);
    const grant = login ? tokenGrant(this.replica, login.token) : undefined;
    return { id, csrf: csrfOf(id), grant: grant ?? null };
  }

  /** The request's session, starting one (and setting its cookie) when there is none. */
  ensure(request: FastifyRequest, reply: FastifyReply): BrowserSession {
    return this.find(request) ?? this.start(request, reply);
  }

  /** A new session after a login, so an id planted before it is worth nothing. */
  login(request: FastifyRequest, reply: FastifyReply, grant: TokenGrant): BrowserSession {
    const old = this.find(request);
    if (old) this.logins.end(old.id);
    const session = this.start(request, reply);
    this.logins.save(session.id, { token: grant.id, expires: Date.now() + LOGIN_MS });
    session.grant = grant;
    return session;
  }

  /** Ends the session's login on every server process, and forgets the cookie. */
  logout(request: FastifyRequest, reply: FastifyReply): void {
    const session = this.find(request);
    if (session) this.logins.end(session.id);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  private start(request: FastifyRequest, reply: FastifyReply): BrowserSession {
    const id = randomBytes(24).toString('base64url');
    request.cookies[SESSION_COOKIE] = id;
    void reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    return { id, csrf: csrfOf(id), grant: null };
  }

  /** Whether a submitted anti-forgery token is the session's. */
  static csrfMatches(session: BrowserSession | undefined, submitted: unknown): boolean {
    return !!session && typeof submitted === 'string' && sameSecret(session.csrf, submitted);
  }
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value).host;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a form post that does not come from a page of this server: the
 * Host must be one this server answers to (a DNS-rebinding page has its
 * own name there), and the Origin (or, lacking it, the Referer) must be
 * that host. Browsers send Origin with every cross-site post.
 */
export function checkSameOrigin(request: FastifyRequest, listenHost: string): void {
  const host = request.headers.host ?? '';
  const hostname = hostOf(`http://${host}`)?.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') ?? '';
  const known = isLoopback(listenHost) ? isLoopback(hostname) : hostname === listenHost || isLoopback(hostname);
  if (!known) throw new HttpProblem(403, `refused a form from host '${host.slice(0, 100)}': this server answers to ${listenHost} only`, 'unauthorized');
  const origin = request.headers.origin ?? (request.headers.referer ? hostOf(request.headers.referer) && new URL(request.headers.referer).origin : undefined);
  if (!origin || hostOf(origin) !== host) {
    throw new HttpProblem(403, 'refused a form posted from another site (its Origin is not this server)', 'unauthorized');
  }
}
