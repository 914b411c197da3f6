import Fastify, { type FastifyInstance } from 'fastify';
import type { Replica } from '../replica/replica.js';
import { handleError, HttpProblem } from './errors.js';
import { pushRoutes, type PushPolicy } from './push-routes.js';
import { replicaRoutes } from './replica-routes.js';
import { restRoutes } from './rest-routes.js';
import { verifyToken } from './tokens.js';

export interface ServerOptions {
  /** Accept pushes and REST writes from holders of a token. Off: every write is refused. */
  writable?: boolean;
  /** Largest request body of the REST API, in bytes. */
  bodyLimit?: number;
  /** Largest push batch, in bytes. */
  pushBodyLimit?: number;
  /** How a push settles a conflict that no vote decides. */
  push?: PushPolicy;
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
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT, onProtoPoisoning: 'ignore' });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `no such resource: ${request.method} ${request.url.slice(0, 200)}` });
  });

  const guardWrite = (authorization: string | undefined): void => {
    if (!opts.writable) throw new HttpProblem(403, 'this server is read-only (its owner can start it with --writable)', 'read-only');
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw new HttpProblem(401, 'a token is required: send Authorization: Bearer <token> (the owner creates one with `prophet server token create`)', 'unauthorized');
    if (!verifyToken(replica, m[1]!)) throw new HttpProblem(401, 'the token is not valid (revoked or never issued)', 'unauthorized');
  };

  app.get('/', async () => ({
    prophet: 'replica',
    uuid: replica.uuid,
    database_uuid: replica.databaseUuid,
    latest_sequence_no: replica.latestSequenceNo(),
    writable: !!opts.writable,
  }));
  replicaRoutes(app, replica);
  restRoutes(app, replica, guardWrite);
  pushRoutes(app, replica, guardWrite, { bodyLimit: opts.pushBodyLimit ?? DEFAULT_PUSH_BODY_LIMIT, policy: opts.push ?? {} });
  return app;
}
