import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Replica } from '../replica/replica.js';
import { accessHook } from './access.js';
import { BrowserSessions, CSRF_FIELD } from './browser-sessions.js';
import { errorHandler, HttpProblem } from './errors.js';
import type { ExtensionContext, ServerExtension } from './extension.js';
import { FailedTokens, type FailedTokenLimit } from './failed-tokens.js';
import { pushRoutes, type PushPolicy } from './push-routes.js';
import { replicaRoutes } from './replica-routes.js';
import { restRoutes } from './rest-routes.js';
import type { TlsFiles } from './tls.js';
import { verifyToken } from './tokens.js';

export interface ServerOptions {
  /** Accept pushes and REST writes from holders of a token with that scope. Off: every write is refused. */
  writable?: boolean;
  /** Reads need no token. Default here: true; `startServer` makes it false beyond loopback. */
  public?: boolean;
  /** Serve HTTPS with this certificate and key. */
  tls?: TlsFiles;
  /** Largest request body of the REST API, in bytes. */
  bodyLimit?: number;
  /** Largest push batch, in bytes. */
  pushBodyLimit?: number;
  /** How a push settles a conflict that no vote decides. */
  push?: PushPolicy;
  /** How many invalid tokens an address may present before it is refused for a while. */
  failedTokenLimit?: FailedTokenLimit;
  /** Where the server reports what its owner should know (refused tokens, its database gone away); default: stderr. */
  log?: (line: string) => void;
  logger?: boolean;
  /** An application's routes (a web UI), next to Prophet's. */
  extensions?: ServerExtension[];
  /** Browser forms write without a login: only for the owner's browser on loopback (`startServer` checks). */
  localForms?: boolean;
  /** The address listened on; form posts must name it (or loopback) as their Host. Default: 127.0.0.1. */
  listenHost?: string;
}

/** A form field as fastify hands it over: a string, or a multipart field object. */
function fieldValue(body: unknown, name: string): unknown {
  const field = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof field === 'object' && field !== null && 'value' in field ? field.value : field;
}

/** A form post of a browser route must carry its session's anti-forgery token; checked once the body is read. */
async function checkCsrf(request: FastifyRequest): Promise<void> {
  if (!request.routeOptions.config.browser || request.method === 'GET' || request.method === 'HEAD') return;
  if (!BrowserSessions.csrfMatches(request.browserSession ?? undefined, fieldValue(request.body, CSRF_FIELD))) {
    throw new HttpProblem(403, 'this form has expired or did not come from this server: reload the page and try again', 'unauthorized');
  }
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_PUSH_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * The `prophet server` application: the replica protocol, the REST API
 * over records and the push endpoint, over one open replica. Built
 * separately from listening so tests can inject requests.
 */
export function buildServer(replica: Replica, opts: ServerOptions = {}): FastifyInstance {
  // A `__proto__` key in a body is kept as an ordinary key (JSON.parse never
  // makes it a prototype) so the one rule for property names refuses it
  // with the same message as every other entry point.
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    onProtoPoisoning: 'ignore',
    ...(opts.tls ? { https: opts.tls } : {}),
  });
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `no such resource: ${request.method} ${request.url.slice(0, 200)}` });
  });
  app.decorateRequest('grant', null);
  app.decorateRequest('browserSession', null);
  void app.register(fastifyCookie);
  const sessions = new BrowserSessions(replica);
  const isPublic = opts.public ?? true;
  const failures = new FailedTokens(opts.failedTokenLimit);
  app.addHook(
    'onRequest',
    accessHook(replica, {
      writable: !!opts.writable,
      public: isPublic,
      failures,
      log,
      localForms: !!opts.localForms,
      sessions,
      listenHost: opts.listenHost ?? '127.0.0.1',
    }),
  );
  app.addHook('preHandler', checkCsrf);

  const context: ExtensionContext = {
    replica,
    forms: opts.localForms ? 'local' : opts.writable ? 'login' : 'read-only',
    loginToRead: !isPublic,
    sessions,
    login(request, reply, token) {
      if (failures.retryAfter(request.ip)) return false;
      const grant = verifyToken(replica, token.trim());
      if (!grant) {
        failures.record(request.ip);
        return false;
      }
      sessions.login(request, reply, grant);
      return true;
    },
  };
  for (const extension of opts.extensions ?? []) void app.register(async (scope) => extension.register(scope, context), { prefix: extension.prefix });
  const home = opts.extensions?.find((e) => e.home)?.home;

  app.get('/', async (request, reply) => {
    if (home && request.headers.accept?.includes('text/html')) return reply.redirect(home);
    return {
      prophet: 'replica',
      uuid: replica.uuid,
      database_uuid: replica.databaseUuid,
      latest_sequence_no: replica.latestSequenceNo(),
      writable: !!opts.writable,
    };
  });
  replicaRoutes(app, replica);
  restRoutes(app, replica);
  pushRoutes(app, replica, { bodyLimit: opts.pushBodyLimit ?? DEFAULT_PUSH_BODY_LIMIT, policy: opts.push ?? {} });
  return app;
}
