/**
 * The worker thread behind PgConnection (pg-connection.ts): it owns the
 * `pg` clients and runs each request asynchronously while the calling
 * thread waits for the answer. Failures come back as values, with
 * PostgreSQL's error code, so the caller can tell a lost connection from a
 * refused statement.
 */
import pg from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import { METADATA_CHANNEL, type PgAnswer, type PgReply, type PgRequest, type PgWorkerData } from './pg-protocol.js';

// Sequence numbers and local ids are bigint columns; they stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

const { port, answered, metadataEpoch } = workerData as PgWorkerData;
/** What the calling thread kept of the metadata may be out of date: it reads it again. */
const bumpMetadataEpoch = () => Atomics.add(metadataEpoch, 0, 1);
const clients = new Map<number, pg.Client>();
/** Clients whose connection broke: they answer nothing again, and their caller opens another. */
const lost = new WeakSet<pg.Client>();

async function run(request: PgRequest): Promise<PgAnswer> {
  try {
    switch (request.kind) {
      case 'open': {
        const client = new pg.Client({ connectionString: request.url, statement_timeout: request.statementTimeoutMs, pipeline: true });
        // A connection lost between requests is reported by the next query; this keeps the worker alive meanwhile.
        // A lost connection hears no more notices, so nothing kept of the metadata can be trusted after it.
        const lose = () => {
          lost.add(client);
          bumpMetadataEpoch();
        };
        client.on('error', lose);
        client.on('end', lose);
        client.on('notification', bumpMetadataEpoch);
        try {
          await client.connect();
          // Refused by a standby still recovering, or by a pooler in transaction mode: no connection then, rather than one that never hears.
          await client.query(`LISTEN ${METADATA_CHANNEL}`);
        } catch (err) {
          await client.end().catch(() => undefined);
          throw err;
        }
        clients.set(request.id, client);
        return { rows: [] };
      }
      case 'query': {
        const client = clients.get(request.id);
        if (!client || lost.has(client)) return { error: { message: 'the connection was lost', code: 'closed' } };
        // Pipelined: all sent at once, answered in order, one network round trip for the lot.
        const results = await Promise.allSettled(request.statements.map(({ sql, params, name }) => client.query({ text: sql, values: params, rowMode: 'array', ...(name ? { name } : {}) })));
        // The first failure is the cause; inside a transaction the statements after it fail only because it did.
        const at = results.findIndex((r) => r.status === 'rejected');
        if (at >= 0) {
          const e = (results[at] as PromiseRejectedResult).reason as { message?: string; code?: string };
          return { error: { message: e.message ?? String(e), code: (lost.has(client) ? 'closed' : e.code) ?? '', at } };
        }
        const result = (results[results.length - 1] as PromiseFulfilledResult<pg.QueryArrayResult | pg.QueryArrayResult[]>).value;
        // A multi-statement string answers with one result per statement: its last is the answer.
        const last = Array.isArray(result) ? result[result.length - 1]! : result;
        return { rows: last.rows as unknown[][] };
      }
      case 'close': {
        const client = clients.get(request.id);
        clients.delete(request.id);
        await client?.end();
        return { rows: [] };
      }
    }
  } catch (err) {
    const e = err as { message?: string; code?: string; at?: number };
    return { error: { message: e.message ?? String(err), code: e.code ?? '', at: e.at } };
  }
}

// The caller blocks on the counter, then takes the answer off the port.
parentPort!.on('message', async ({ n, request }: { n: number; request: PgRequest }) => {
  const reply: PgReply = { n, answer: await run(request) };
  port.postMessage(reply);
  Atomics.add(answered, 0, 1);
  Atomics.notify(answered, 0);
});
