import { overLimit, type ByteLimit } from './limits.js';

/**
 * One exchange's timer: aborts the request when the server stays quiet
 * longer than the wait it was last armed with. Re-arming on every piece
 * of an answer makes it an idle timeout rather than a limit on the whole
 * download.
 */
export class Watchdog {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  /** Bumped on every arm and stop: a firing meant for an earlier arming is void. */
  private generation = 0;
  /** Why it fired, once it has: the reason for the failure, whatever error the abort surfaced as. */
  expired?: string;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  arm(ms: number, why: string): void {
    clearTimeout(this.timer);
    const armed = ++this.generation;
    this.timer = setTimeout(() => {
      // After a long synchronous stretch (a merge applying a pack), the timer runs before the
      // loop reads what the server sent meanwhile: let it read first, and fire only if nothing came.
      setImmediate(() => {
        if (armed !== this.generation) return;
        this.expired = why;
        this.controller.abort();
      });
    }, ms);
  }

  /** Stops waiting; with `drop`, also closes the connection (an answer not read to its end must not linger). */
  stop(drop = false): void {
    clearTimeout(this.timer);
    this.generation++;
    if (drop) this.controller.abort();
  }
}

/**
 * Reads a whole answer, refusing it as soon as it is known to pass
 * `limit`: from its Content-Length before reading anything, else when the
 * bytes received pass it. `onData` runs before each wait for more.
 */
export async function readBody(res: Response, limit: ByteLimit, where: string, onData: () => void): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > limit.bytes) throw overLimit(where, limit, declared);
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    onData();
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit.bytes) throw overLimit(where, limit);
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
