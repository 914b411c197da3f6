import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Replica } from '../replica/replica.js';
import type { Preference } from '../sync/conflict.js';
import { merge } from '../sync/merge.js';
import { UnresolvedConflictError } from '../sync/integrate.js';
import { MemorySource } from '../transports/memory-source.js';
import { parsePushBatch, PUSH_PATH, TICKETS_PATH, type PushBatchReport, type PushTickets } from '../transports/push-protocol.js';
import { HttpProblem } from './errors.js';
import { refuseOtherTypes } from './push-type-limit.js';

export interface PushPolicy {
  /** Which side wins a conflict that no vote of the resolution database decides; unset: refuse with 409. */
  prefer?: Preference;
}

/**
 * A server merges only its own database: there is no --force over the
 * wire, so the merge engine's "use --force" would be no help to the pusher.
 */
function refuseOtherDatabase(pushed: string, own: string, what: string): void {
  if (pushed !== own) throw new HttpProblem(409, `this server's ${what} is ${own}, the pushed replica's is ${pushed}: a server takes pushes of its own database only`, 'identity');
}

/**
 * One push at a time, from before its body is read until its answer is
 * sent: pushes are merged one after the other anyway, and reading a
 * waiting push's body early would only hold it in memory (up to the body
 * limit each). A waiting client's upload is held back by TCP meanwhile.
 */
function oneAtATime(): (request: unknown, reply: FastifyReply) => Promise<void> {
  let current: Promise<void> = Promise.resolve();
  return (_request, reply) => {
    const previous = current;
    // 'close' comes when the answer is sent or the client went away, whichever happens.
    current = new Promise((release) => reply.raw.once('close', release));
    return previous;
  };
}

/**
 * Pushes into the server's replica: each batch goes through the merge
 * engine like a pull would, one batch at a time, so tickets make a
 * retried or repeated batch harmless. Both routes need the `push` scope.
 */
export function pushRoutes(app: FastifyInstance, replica: Replica, opts: { bodyLimit: number; policy: PushPolicy }): void {
  const config = { access: 'push' as const };

  app.get<{ Querystring: { replica?: string; resolutions?: string } }>(`/${TICKETS_PATH}`, { config }, async (request): Promise<PushTickets> => {
    const { replica: uuid, resolutions } = request.query;
    if (typeof uuid !== 'string' || typeof resolutions !== 'string') throw new HttpProblem(400, 'give ?replica=<uuid>&resolutions=<uuid>');
    return replica.mergeTicketsFor({ replica: uuid.toLowerCase(), resolutions: resolutions.toLowerCase() });
  });

  app.post(`/${PUSH_PATH}`, { config, onRequest: oneAtATime(), bodyLimit: opts.bodyLimit }, async (request): Promise<PushBatchReport> => {
    const batch = parsePushBatch(request.body);
    refuseOtherDatabase(batch.replica.databaseUuid, replica.databaseUuid, 'database');
    refuseOtherDatabase(batch.resolutions.databaseUuid, replica.resdb.databaseUuid, 'resolution database');
    if (request.grant?.type !== undefined) refuseOtherTypes(replica, batch, request.grant.type);
    const description = `push from ${batch.replica.uuid}`;
    const source = new MemorySource(description, batch.replica, batch.changesets, new MemorySource(`${description} (resolutions)`, batch.resolutions, batch.resolutionChangesets));
    try {
      const report = await merge(source, replica, { prefer: opts.policy.prefer });
      const log = (r: { integrated: number; skipped: number } | undefined, uuid: string) => ({ uuid, integrated: r?.integrated ?? 0, skipped: r?.skipped ?? 0 });
      return { changesets: log(report.changesets, batch.replica.uuid), resolutions: log(report.resolutions, batch.resolutions.uuid), conflicts: report.conflicts };
    } catch (err) {
      if (err instanceof UnresolvedConflictError) {
        throw new HttpProblem(409, `the server cannot settle the conflict on ${err.conflict}: no earlier decision and no server preference; pull, resolve it locally, then push again`, 'conflict');
      }
      throw err;
    }
  });
}
