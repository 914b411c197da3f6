/**
 * A synchronous connection to PostgreSQL, so the PostgreSQL store offers
 * the same synchronous Store as SQLite (docs/hub.md, "Decision"): `pg` runs
 * in a worker thread and this thread blocks until it answers. A server
 * process therefore does one database request at a time, as on
 * better-sqlite3; concurrency comes from running several processes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ProphetError } from '../../model/errors.js';
import { redactUrls } from '../../model/redact.js';
import type { PgAnswer, PgReply, PgRequest, PgWorkerData } from './pg-protocol.js';

/** How long one statement may take before PostgreSQL cancels it: PROPHET_PG_TIMEOUT_MS, else 30 s. */
export const PG_TIMEOUT_ENV = 'PROPHET_PG_TIMEOUT_MS';
const DEFAULT_TIMEOUT_MS = 30_000;
/** The wait for the worker beyond PostgreSQL's own deadline: for a server that stopped answering at all. */
const WORKER_GRACE_MS = 5_000;

/** SQLSTATE classes of a connection lost or a server going away, and socket failures: the hub answers these with 503. */
const UNAVAILABLE = /^(08|57P0)|^(closed|timeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/;

/**
 * The process's one worker thread and the blocking call into it: post a
 * request, sleep on a shared counter the worker bumps after each answer,
 * take the answer off the port synchronously. (synckit does the same but
 * cannot start a TypeScript worker on Node 20 in an ES module package, which
 * the tests need; its round trip measured no faster: docs/hub.md.)
 */
class PgWorker {
  private readonly answered = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private sent = 0;
  /** Answers awaited by number: `callAsync`'s. */
  private readonly awaited = new Map<number, (answer: PgAnswer) => void>();

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: PgWorkerData = { port: port2, answered: this.answered };
    const built = fileURLToPath(new URL('./pg-worker.js', import.meta.url));
    // From the TypeScript sources (the tests), tsx loads the worker's.
    this.worker = existsSync(built)
      ? new Worker(built, { workerData, transferList: [port2] })
      : new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(built.replace(/\.js$/, '.ts'))}, ${JSON.stringify(import.meta.url)}))`, { eval: true, workerData, transferList: [port2] });
    this.worker.on('message', (reply: PgReply) => {
      this.awaited.get(reply.n)?.(reply.answer);
      this.awaited.delete(reply.n);
      if (!this.awaited.size) this.worker.unref();
    });
    // Waiting on it must not keep a finished process alive; an awaited answer does.
    this.worker.unref();
  }

  /** A request this thread awaits instead of blocking on: it goes on serving others meanwhile. */
  callAsync(request: PgRequest): Promise<PgAnswer> {
    const n = ++this.sent;
    this.worker.ref();
    return new Promise((resolve) => {
      this.awaited.set(n, resolve);
      this.worker.postMessage({ n, request, awaited: true });
    });
  }

  call(request: PgRequest, timeoutMs: number): PgAnswer {
    const n = ++this.sent;
    let seen = Atomics.load(this.answered, 0);
    this.worker.postMessage({ n, request });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = receiveMessageOnPort(this.port)?.message as PgReply | undefined;
      // An answer to an earlier request that timed out is dropped.
      if (reply) {
        if (reply.n === n) return reply.answer;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.answered, 0, seen, left) === 'timed-out') {
        return { error: { message: `no answer in ${Math.round(timeoutMs / 1000)} s`, code: 'timeout' } };
      }
      seen = Atomics.load(this.answered, 0);
    }
  }
}

let shared: PgWorker | undefined;
let nextId = 1;

export class PgConnection {
  private id = nextId++;
  /** The connection was lost: `revive` opens another. */
  private lost = false;
  private readonly worker = (shared ??= new PgWorker());
  private readonly timeoutMs: number;
  private open = true;

  constructor(
    private readonly url: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.timeoutMs = Number(env[PG_TIMEOUT_ENV]) > 0 ? Number(env[PG_TIMEOUT_ENV]) : DEFAULT_TIMEOUT_MS;
    this.connect();
  }

  private connect(): void {
    this.answer(this.call({ kind: 'open', id: this.id, url: this.url, statementTimeoutMs: this.timeoutMs }), 'connect');
  }

  /**
   * After a lost connection, a new one. Only the caller knows when that is
   * safe: outside a transaction, since the lost one took its transaction
   * with it and statements that followed on a new connection would commit
   * alone.
   */
  revive(): void {
    if (!this.lost) return;
    this.call({ kind: 'close', id: this.id });
    this.id = nextId++;
    this.lost = false;
    this.connect();
  }

  /** The rows of one statement (or of the last of several, without parameters), each as an array of its columns. */
  query(sql: string, params: unknown[] = []): unknown[][] {
    return this.answer(this.call({ kind: 'query', id: this.id, sql, params }), sql);
  }

  /**
   * Waits for the session lock `key` (pg_advisory_lock) without blocking
   * this thread, so a process queued behind another's write goes on
   * answering reads on its other connections. Only this connection's next
   * statements wait for it: issue none until it is held.
   */
  async lock(key: string): Promise<void> {
    this.revive();
    this.answer(await this.worker.callAsync({ kind: 'query', id: this.id, sql: 'SELECT pg_advisory_lock(hashtext($1))', params: [key] }), 'the lock');
  }

  /** Lets the next waiter for `key` have it. Losing the connection lets it go too. */
  unlock(key: string): void {
    this.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
  }

  /** The first column of the first row, or undefined when there is none. */
  value<T>(sql: string, params: unknown[] = []): T | undefined {
    return this.query(sql, params)[0]?.[0] as T | undefined;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.call({ kind: 'close', id: this.id });
  }

  private call(request: PgRequest): PgAnswer {
    return this.worker.call(request, this.timeoutMs + WORKER_GRACE_MS);
  }

  private answer(answer: PgAnswer, what: string): unknown[][] {
    if ('rows' in answer) return answer.rows;
    const { message, code } = answer.error;
    const where = redactUrls(this.url);
    if (UNAVAILABLE.test(code)) {
      this.lost = true;
      throw new ProphetError(`PostgreSQL at ${where} is unavailable (${message}); try again when it is back`, 'io');
    }
    throw new ProphetError(`PostgreSQL at ${where} refused ${what.split('\n')[0]!.slice(0, 80)}: ${message}`, 'io');
  }
}
