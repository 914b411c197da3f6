import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ProphetError, type ErrorCode } from '../model/errors.js';
import { DiskFullError } from '../store/disk-errors.js';

/** HTTP status for the library's error codes; anything unlisted is the client's fault (400). */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  'not-found': 404,
  conflict: 409,
  unauthorized: 401,
  'read-only': 403,
  // A push the server's trust policy refuses (unsigned, badly signed, an untrusted key).
  untrusted: 403,
  // A replica pushed into itself, or another database: the pusher's mistake, and retrying will not help.
  identity: 409,
  // Another process held the replica longer than the server waits: the client may retry.
  busy: 503,
  io: 500,
};

/** An error the server answers with a given status and a one-line JSON `{error}`. */
export class HttpProblem extends ProphetError {
  constructor(
    readonly statusCode: number,
    message: string,
    code: ErrorCode = 'http',
  ) {
    super(message, code);
    this.name = 'HttpProblem';
  }
}

/** How often an outage of the hub's database is told to the server's owner: once when it starts, then at most this often. */
const OUTAGE_REPORT_MS = 60_000;

/**
 * Every failure becomes a status and `{"error": "<one line>"}`: fastify's
 * own (bad JSON, too large, wrong content type) keep their 4xx, the
 * library's user errors map by code, and anything else is a 500 that is
 * logged, never a crash. A database gone away is told to the owner on
 * `log`, once a minute while it lasts, not once per request.
 */
export function errorHandler(log: (line: string) => void): (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => void {
  let reported = -Infinity;
  return (err, request, reply) => {
    if (err instanceof ProphetError && err.code === 'unavailable' && Date.now() - reported >= OUTAGE_REPORT_MS) {
      reported = Date.now();
      log(`answering 503 while the database is unavailable: ${err.message}`);
    }
    handleError(err, request, reply);
  };
}

function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  let status = 500;
  let message = 'internal server error';
  if (err instanceof HttpProblem) {
    status = err.statusCode;
    message = err.message;
  } else if (err instanceof DiskFullError) {
    // Nothing was written; the client should try later. Where the server keeps its replica is not the client's business.
    status = 507;
    message = "the server's disk is full: nothing was written; try again later";
  } else if (err instanceof ProphetError && err.code === 'unavailable') {
    // The hub's PostgreSQL went away and took the request's transaction with it. Which database and why is for the owner's log (errorHandler), not the client.
    status = 503;
    message = "the server's database is unavailable: nothing was written; try again later";
  } else if (err instanceof ProphetError) {
    status = STATUS_BY_CODE[err.code] ?? 400;
    message = err.message;
  } else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    status = err.statusCode;
    message = err.message;
  }
  if (status >= 500) request.log.error({ err }, 'request failed');
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  if (status === 503) reply.header('retry-after', '5');
  void reply.status(status).send({ error: message });
}
