import type { FastifyInstance } from 'fastify';
import type { Replica } from '../replica/replica.js';
import { MANIFEST_FILE } from '../transports/manifest.js';
import { isPackHash } from '../transports/pack.js';
import { HttpProblem } from './errors.js';
import { LivePublication } from './live-publication.js';

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

  app.get<{ Params: { file: string } }>('/packs/:file', async (request, reply) => {
    const m = /^([0-9a-f]{64})\.pack$/.exec(request.params.file);
    if (!m || !isPackHash(m[1]!)) throw new HttpProblem(400, `'${request.params.file}' is not a pack name`);
    const data = publication.pack(m[1]!);
    if (!data) throw new HttpProblem(404, `no pack ${m[1]} (the replica has moved on; fetch ${MANIFEST_FILE} again)`);
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type('application/octet-stream').send(data);
  });
}
