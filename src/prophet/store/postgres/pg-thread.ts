import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PgAnswer, PgReply, PgRequest, PgWorkerData } from './pg-protocol.js';

/**
 * Where the built worker is, from this module: beside it in the compiled
 * tree (dist/), or from a chunk of the CLI bundle (dist/bin/) to the
 * compiled tree.
 */
const WORKER_PLACES = ['./pg-worker.js', '../prophet/store/postgres/pg-worker.js'];

/**
 * The process's one worker thread and the blocking call into it: post a
 * request, sleep on a shared counter the worker bumps after each answer,
 * take the answer off the port synchronously. (synckit does the same but
 * cannot start a TypeScript worker on Node 20 in an ES module package, which
 * the tests need; its round trip measured no faster: docs/hub.md.)
 */
export class PgWorker {
  private readonly answered = new Int32Array(new SharedArrayBuffer(4));
  private readonly epoch = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private sent = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: PgWorkerData = { port: port2, answered: this.answered, metadataEpoch: this.epoch };
    const built = WORKER_PLACES.map((place) => fileURLToPath(new URL(place, import.meta.url))).find((file) => existsSync(file));
    // From the TypeScript sources (the tests), tsx loads the worker's.
    const source = fileURLToPath(new URL('./pg-worker.ts', import.meta.url));
    this.worker = built
      ? new Worker(built, { workerData, transferList: [port2] })
      : new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)}))`, { eval: true, workerData, transferList: [port2] });
    // Waiting on it must not keep a finished process alive.
    this.worker.unref();
  }

  /**
   * A number that changes whenever a metadata table may have changed:
   * another process committed a write to one (the worker hears its notice),
   * a connection was lost, or this process committed one
   * (`bumpMetadataEpoch`). Shared by every connection of the process, since
   * they share the worker.
   */
  get metadataEpoch(): number {
    return Atomics.load(this.epoch, 0);
  }

  /** This process committed a write to a metadata table: what its other connections kept is stale now, not only once the notice arrives. */
  bumpMetadataEpoch(): void {
    Atomics.add(this.epoch, 0, 1);
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
