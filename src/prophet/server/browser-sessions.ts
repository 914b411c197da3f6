import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from './errors.js';
import { isLoopback } from './exposure.js';
import type { TokenGrant } from './tokens.js';

/** The cookie naming a browser's session; the value is a random id, never a token. */
export const SESSION_COOKIE = 'prophet_session';
/** The form field carrying a session's anti-forgery token. */
export const CSRF_FIELD = '_csrf';

/** Sessions are kept in memory, so a restart logs everyone out; this bounds the map. */
const MAX_SESSIONS = 10_000;
const SESSION_MS = 12 * 60 * 60 * 1000;

export interface BrowserSession {
  id: string;
  /** The anti-forgery token every form of this session carries. */
  csrf: string;
  /** What the token the browser logged in with grants; null before a login. */
  grant: TokenGrant | null;
  expires: number;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Browser sessions of a server with a web UI. A browser cannot send a
 * bearer token, so it logs in once with one (a form) and the session
 * holds what that token grants; every write from a form must carry the
 * session's anti-forgery token, and come from a page of this server.
 */
export class BrowserSessions {
  private readonly sessions = new Map<string, BrowserSession>();

  /** The request's live session, if its cookie names one. */
  find(request: FastifyRequest): BrowserSession | undefined {
    const id = request.cookies[SESSION_COOKIE];
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) return undefined;
    if (session.expires < Date.now()) {
      this.sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  /** The request's session, starting one (and setting its cookie) when there is none. */
  ensure(request: FastifyRequest, reply: FastifyReply): BrowserSession {
    const found = this.find(request);
    if (found) return found;
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const session: BrowserSession = { id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), grant: null, expires: Date.now() + SESSION_MS };
    this.sessions.set(session.id, session);
    void reply.setCookie(SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    return session;
  }

  /** Replaces the session after a login, so an id planted before it is worth nothing. */
  login(request: FastifyRequest, reply: FastifyReply, grant: TokenGrant): BrowserSession {
    const old = this.find(request);
    if (old) this.sessions.delete(old.id);
    delete request.cookies[SESSION_COOKIE];
    const session = this.ensure(request, reply);
    session.grant = grant;
    return session;
  }

  logout(request: FastifyRequest): void {
    const session = this.find(request);
    if (session) this.sessions.delete(session.id);
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
