import type { FastifyInstance, FastifyRequest } from 'fastify';
import { changesetId } from '../model/changeset.js';
import { isInternalType, type RecordState } from '../model/types.js';
import { history } from '../replica/history.js';
import type { Replica } from '../replica/replica.js';
import { runQuery } from '../replica/query.js';
import { criteriaConditions, type Comparator, type Criterion } from '../replica/search.js';
import { HttpProblem } from './errors.js';

type Props = Record<string, string | null>;

/** The most records one page may ask for; without `limit` a list is whole. */
const MAX_PAGE = 10_000;

/** A JSON body of properties: an object whose values are strings or null (null removes). */
function propsOf(body: unknown): Props {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpProblem(400, 'the body must be a JSON object of properties');
  for (const [name, value] of Object.entries(body)) {
    if (value !== null && typeof value !== 'string') throw new HttpProblem(400, `property '${name}' must be a string or null`);
  }
  return body as Props;
}

/** The suffixes a query key may carry: `status!=closed` arrives as key `status!`. */
const SUFFIXES: Array<[string, Comparator]> = [['!~', '!~'], ['~', '=~'], ['!', '!=']];

/** Query parameters as search criteria: `?status=open&owner!=bob&summary~=crash`. */
export function criteriaOf(query: Record<string, string | string[] | undefined>): Criterion[] {
  const criteria: Criterion[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const [suffix, cmp] = SUFFIXES.find(([s]) => key.endsWith(s)) ?? ['', '=' as Comparator];
    const prop = key.slice(0, key.length - suffix.length);
    if (!prop) throw new HttpProblem(400, `'${key}' is not a property criterion`);
    for (const value of Array.isArray(raw) ? raw : [raw ?? '']) criteria.push({ prop, cmp, value });
  }
  return criteria;
}

/**
 * The record type a write names, if it may be written: the database's
 * settings records are changed through the settings command only, which
 * validates them (the CLI refuses the same), and a token limited to one
 * type writes that type only.
 */
function writableType(request: FastifyRequest<{ Params: TypeParams }>): string {
  const { type } = request.params;
  if (isInternalType(type)) throw new HttpProblem(403, `'${type}' records are the database's settings: change them with the 'settings' command`, 'read-only');
  const only = request.grant?.type;
  if (only !== undefined && only !== type) throw new HttpProblem(403, `this token may write '${only}' records only, not '${type}'`, 'unauthorized');
  return type;
}

function shown(replica: Replica, r: RecordState): RecordState & { conflicted: string[] } {
  return { luid: r.luid, uuid: r.uuid, type: r.type, props: r.props, conflicted: replica.conflictedProperties(r.uuid) };
}

/** A list's query string: the query language (`q`), paging, and any other key a property criterion. */
type ListQuery = { q?: string; limit?: number; offset?: number } & Record<string, string[]>;

/** Checked (and `limit`/`offset` made numbers, criteria made lists) by fastify's own validation before the handler runs. */
const LIST_QUERY_SCHEMA = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 4096 },
    limit: { type: 'integer', minimum: 0, maximum: MAX_PAGE },
    offset: { type: 'integer', minimum: 0 },
  },
  additionalProperties: { type: 'array', items: { type: 'string' } },
} as const;

interface TypeParams {
  type: string;
}
interface RecordParams extends TypeParams {
  id: string;
}

/**
 * The JSON REST API over records. Reads need the `read` scope where the
 * server is not public, writes the `write` scope (see access.ts).
 */
export function restRoutes(app: FastifyInstance, replica: Replica): void {
  const write = { config: { access: 'write' as const } };

  app.get('/records', async () => ({ types: replica.types() }));

  app.get<{ Params: TypeParams; Querystring: ListQuery }>('/records/:type', { schema: { querystring: LIST_QUERY_SCHEMA } }, async (request) => {
    const { q, limit, offset, ...filters } = request.query;
    const found = runQuery(replica, request.params.type, q ?? '', { conditions: criteriaConditions({ criteria: criteriaOf(filters) }), limit, offset });
    return {
      type: request.params.type,
      total: found.total,
      offset: offset ?? 0,
      ...(limit !== undefined ? { limit } : {}),
      records: found.records.map((r) => ({ luid: r.luid, uuid: r.uuid, props: r.props })),
    };
  });

  app.get<{ Params: RecordParams }>('/records/:type/:id', async (request) => shown(replica, replica.get(request.params.id, request.params.type)));

  app.get<{ Params: RecordParams }>('/records/:type/:id/history', async (request) => {
    const record = replica.resolve(request.params.id, request.params.type, { includeDeleted: true });
    return {
      uuid: record.uuid,
      changesets: history(replica, record.uuid).map(({ changeset, change }) => ({
        sequence_no: changeset.sequence_no,
        id: changesetId(changeset.original_source_uuid, changeset.original_sequence_no),
        creator: changeset.creator,
        created: changeset.created,
        is_nullification: changeset.is_nullification,
        is_resolution: changeset.is_resolution,
        change_type: change.change_type,
        prop_changes: Object.fromEntries(Object.entries(change.prop_changes).map(([n, pc]) => [n, { old_value: pc.old_value, new_value: pc.new_value }])),
      })),
    };
  });

  app.post<{ Params: TypeParams }>('/records/:type', write, async (request, reply) => {
    const { uuid } = replica.create(writableType(request), propsOf(request.body));
    return reply.status(201).header('location', `/records/${encodeURIComponent(request.params.type)}/${uuid}`).send(shown(replica, replica.get(uuid, request.params.type)));
  });

  app.patch<{ Params: RecordParams }>('/records/:type/:id', write, async (request) => {
    const type = writableType(request);
    const record = replica.resolve(request.params.id, type);
    replica.update(type, record.uuid, propsOf(request.body));
    return shown(replica, replica.get(record.uuid, request.params.type));
  });

  app.delete<{ Params: RecordParams }>('/records/:type/:id', write, async (request) => {
    const uuid = replica.delete(writableType(request), request.params.id);
    return { uuid, deleted: true };
  });
}
