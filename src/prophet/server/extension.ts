import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Replica } from '../replica/replica.js';
import type { BrowserSessions } from './browser-sessions.js';

/** What a browser's forms may do on this server. */
export type FormWrites = 'read-only' | 'local' | 'login';

export interface ExtensionContext {
  replica: Replica;
  /**
   * `local`: forms write without a login (the owner's browser on loopback);
   * `login`: with a login whose token has the write scope; `read-only`: never.
   */
  forms: FormWrites;
  /** Reads need a login (the server is not public). */
  loginToRead: boolean;
  sessions: BrowserSessions;
  /** Logs the browser in with a server token; false when the token is not valid. */
  login(request: FastifyRequest, reply: FastifyReply, token: string): boolean;
}

/**
 * An application's own routes on Prophet's server (SD's web UI): Prophet
 * knows nothing of what they show. Routes marked `config.browser` use the
 * browser's session as credential; a form post among them must carry the
 * session's anti-forgery token in the field `_csrf`.
 */
export interface ServerExtension {
  /** The path the extension's routes live under (`/ui`): its own error and not-found pages apply there. */
  prefix: string;
  /** Where a browser asking for the server's root is sent (the UI's home page). */
  home?: string;
  register(app: FastifyInstance, ctx: ExtensionContext): void | Promise<void>;
}
