import type { FastifyInstance } from 'fastify';
import type { Replica } from '../replica/replica.js';
import { LOG_NAMES, MANIFEST_FILE, type LogName } from '../transports/manifest.js';
import { isPackHash, type PackRange } from '../transports/pack.js';
import { HttpProblem } from './errors.js';
import { LivePublication } from './live-publication.js';

function isSeq(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9][0-9]{0,14}$/.test(value);
}

/** The range a pack request names (see `PackRange`); undefined from a reader that names none. */
function packRange(query: Record<string, unknown>): PackRange | undefined {
  const { log, first, last } = query;
  if (log === undefined && first === undefined && last === undefined) return undefined;
  if (!LOG_NAMES.includes(log as LogName)) throw new HttpProblem(400, `a pack's log is one of ${LOG_NAMES.join(', ')}`);
  if (!isSeq(first) || !isSeq(last) || Number(last) < Number(first)) throw new HttpProblem(400, "a pack's range is two sequence numbers, first <= last");
  return { log: log as LogName, first: Number(first), last: Number(last) };
}

/**
 * The replica protocol: the published layout (manifest and packs), served
 * from the live replica, so `pull`/`clone` read a server exactly as they
 * read a published folder.
 */
export function replicaRoutes(app: FastifyInstance, replica: Replica): void {
  const publication = new LivePublication(replica);
  // Built before the server answers anyone, so the first reader does not wait
  // while every pack of a large log is cut; later growth is built incrementally.
  publication.manifestBody();

  app.get(`/${MANIFEST_FILE}`, async (_request, reply) => {
    // Never cached: it is how readers learn that something changed.
    return reply.header('cache-control', 'no-cache').type('application/json').send(publication.manifestBody());
  });

  app.get<{ Params: { file: string }; Querystring: Record<string, unknown> }>('/packs/:file', async (request, reply) => {
    const m = /^([0-9a-f]{64})\.pack$/.exec(request.params.file);
    if (!m || !isPackHash(m[1]!)) throw new HttpProblem(400, `'${request.params.file}' is not a pack name`);
    const range = packRange(request.query);
    const data = publication.pack(m[1]!, range);
    if (!data && range) throw new HttpProblem(404, `no pack ${m[1]} holds changesets ${range.first}..${range.last} of the ${range.log} log`);
    if (!data) throw new HttpProblem(404, `no pack ${m[1]} (the replica has moved on; fetch ${MANIFEST_FILE} again)`);
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type('application/octet-stream').send(data);
  });
}
