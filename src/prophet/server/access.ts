import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Replica } from '../replica/replica.js';
import { checkSameOrigin, type BrowserSession, type BrowserSessions } from './browser-sessions.js';
import { HttpProblem } from './errors.js';
import type { FailedTokens } from './failed-tokens.js';
import { verifyToken, type Scope, type TokenGrant } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a request of this route needs; unset: `read`. */
    access?: Scope;
    /** A web page or form of an app's UI: the browser's session is its credential, not a bearer token. */
    browser?: boolean;
    /** Open to everyone whatever the server's policy: a login page, a stylesheet. */
    open?: boolean;
  }
  interface FastifyRequest {
    /** What the request's token grants; null where no token was needed. */
    grant: TokenGrant | null;
    /** The browser's session on a route marked `browser`; null elsewhere. */
    browserSession: BrowserSession | null;
  }
}

export interface AccessPolicy {
  /** Pushes and REST writes are possible at all (with a token that has their scope). */
  writable: boolean;
  /** Reads need no token. */
  public: boolean;
  failures: FailedTokens;
  /** Where a refused token is reported: one line, naming the address, never the token. */
  log: (line: string) => void;
  /** Browser forms write without a login: the owner's own browser on loopback (`sd browser`). */
  localForms: boolean;
  sessions: BrowserSessions;
  /** The address listened on: form posts must name it (or loopback) as their Host. */
  listenHost: string;
}

/** How long a refused client may go on uploading, its bytes discarded, before its connection is closed. */
const LINGER_MS = 1_000;

/**
 * A refused request's body is never read into memory: node discards what
 * still arrives. Closing at once would spare even that, but a client
 * still uploading then sees a broken pipe instead of the answer, so the
 * connection lingers briefly, as web servers do, and is then closed.
 */
function dropUnreadBody(request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.once('finish', () => {
    if (!request.raw.complete) setTimeout(() => request.raw.socket?.destroy(), LINGER_MS).unref();
  });
}

const WHAT_SCOPE_ALLOWS: Record<Scope, string> = { read: 'read this server', push: 'push', write: 'write records' };

function bearer(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

/**
 * Decides a request from its headers alone, in fastify's onRequest hook,
 * so a refused request's body is never read: an unauthenticated 60 MB
 * push costs the server nothing. Reads pass when the server is public;
 * anything else needs a valid token with the route's scope, and an
 * address that keeps presenting invalid tokens is refused for a while.
 */
export function accessHook(replica: Replica, policy: AccessPolicy) {
  /**
   * A page or form of an app's UI: reads as for everyone else, with the
   * grant of the token the browser logged in with; a form post must come
   * from this server's own pages (its anti-forgery token is checked once
   * the body is read, see app.ts).
   */
  const decideBrowser = (request: FastifyRequest, reply: FastifyReply, needed: Scope): TokenGrant | null => {
    const session = policy.sessions.ensure(request, reply);
    request.browserSession = session;
    if (request.method !== 'GET' && request.method !== 'HEAD') checkSameOrigin(request, policy.listenHost);
    if (request.routeOptions.config.open) return null;
    if (needed === 'read' && policy.public) return null;
    if (needed !== 'read' && policy.localForms) return null;
    if (needed !== 'read' && !policy.writable) throw new HttpProblem(403, 'this server is read-only (its owner can start it with --writable)', 'read-only');
    if (!session.grant) throw new HttpProblem(401, 'log in with a token (the owner creates one with `server token create`)', 'unauthorized');
    if (!session.grant.scopes.includes(needed)) throw new HttpProblem(403, `your token may not ${WHAT_SCOPE_ALLOWS[needed]} (its scopes: ${session.grant.scopes.join(', ')})`, 'unauthorized');
    return session.grant;
  };

  const decide = (request: FastifyRequest, reply: FastifyReply): TokenGrant | null => {
    const needed = request.routeOptions.config.access ?? 'read';
    if (request.routeOptions.config.browser) return decideBrowser(request, reply, needed);
    if (request.routeOptions.config.open) return null;
    if (needed === 'read' && policy.public) return null;
    if (needed !== 'read' && !policy.writable) throw new HttpProblem(403, 'this server is read-only (its owner can start it with --writable)', 'read-only');
    const wait = policy.failures.retryAfter(request.ip);
    if (wait) {
      void reply.header('retry-after', String(wait));
      throw new HttpProblem(429, `too many invalid tokens from ${request.ip}: try again in ${wait} s`, 'unauthorized');
    }
    const token = bearer(request.headers.authorization);
    if (!token) throw new HttpProblem(401, 'a token is required: send Authorization: Bearer <token> (the owner creates one with `prophet server token create`)', 'unauthorized');
    const grant = verifyToken(replica, token);
    if (!grant) {
      const count = policy.failures.record(request.ip);
      const { max, windowMs } = policy.failures.limit;
      const blocked = count >= max ? `; refusing its tokens for ${Math.round(windowMs / 1000)} s` : '';
      policy.log(`${new Date().toISOString()} refused an invalid token from ${request.ip} for ${request.method} ${request.url.split('?')[0]!.slice(0, 100)} (${count} in ${Math.round(windowMs / 1000)} s${blocked})`);
      throw new HttpProblem(401, 'the token is not valid (revoked or never issued)', 'unauthorized');
    }
    if (!grant.scopes.includes(needed)) {
      throw new HttpProblem(403, `this token may not ${WHAT_SCOPE_ALLOWS[needed]} (its scopes: ${grant.scopes.join(', ')}; the owner creates tokens with --scope)`, 'unauthorized');
    }
    return grant;
  };

  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      request.grant = decide(request, reply);
    } catch (err) {
      dropUnreadBody(request, reply);
      throw err;
    }
  };
}
