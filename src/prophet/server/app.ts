import Fastify, { type FastifyInstance } from 'fastify';
import type { Replica } from '../replica/replica.js';
import { accessHook } from './access.js';
import { handleError } from './errors.js';
import { FailedTokens, type FailedTokenLimit } from './failed-tokens.js';
import { pushRoutes, type PushPolicy } from './push-routes.js';
import { replicaRoutes } from './replica-routes.js';
import { restRoutes } from './rest-routes.js';
import type { TlsFiles } from './tls.js';

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
  /** Where the server reports what its owner should know (refused tokens); default: stderr. */
  log?: (line: string) => void;
  logger?: boolean;
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
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `no such resource: ${request.method} ${request.url.slice(0, 200)}` });
  });
  app.decorateRequest('grant', null);
  app.addHook(
    'onRequest',
    accessHook(replica, {
      writable: !!opts.writable,
      public: opts.public ?? true,
      failures: new FailedTokens(opts.failedTokenLimit),
      log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
    }),
  );

  app.get('/', async () => ({
    prophet: 'replica',
    uuid: replica.uuid,
    database_uuid: replica.databaseUuid,
    latest_sequence_no: replica.latestSequenceNo(),
    writable: !!opts.writable,
  }));
  replicaRoutes(app, replica);
  restRoutes(app, replica);
  pushRoutes(app, replica, { bodyLimit: opts.pushBodyLimit ?? DEFAULT_PUSH_BODY_LIMIT, policy: opts.push ?? {} });
  return app;
}
