import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PgAnswer, PgReply, PgRequest, PgWorkerData } from './pg-protocol.js';

/**
 * The process's one worker thread and the blocking call into it: post a
 * request, sleep on a shared counter the worker bumps after each answer,
 * take the answer off the port synchronously. (synckit does the same but
 * cannot start a TypeScript worker on Node 20 in an ES module package, which
 * the tests need; its round trip measured no faster: docs/hub.md.)
 */
export class PgWorker {
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
