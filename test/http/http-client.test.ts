import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/prophet/transports/http-fetch.js';
import { listen } from './static-server.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('the HTTP client idle timeout', () => {
  it('does not take a long synchronous stretch of its own (a merge) for a stalled server', async () => {
    // Ten pieces, one every 100 ms: never quiet for the 500 ms allowed.
    const server = createServer((_req, res) => {
      let sent = 0;
      const tick = setInterval(() => {
        res.write(Buffer.alloc(1000, 'x'));
        if (++sent === 10) {
          clearInterval(tick);
          res.end();
        }
      }, 100);
    });
    const { url, close } = await listen(server);
    cleanup.push(close);
    const answer = new HttpClient(new URL(url), { timeoutMs: 500 }).get('steady', { bytes: 1_000_000, what: 'a test' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const end = Date.now() + 1500;
    while (Date.now() < end); // the event loop held, as a merge applying a pack holds it
    expect((await answer).length).toBe(10_000);
  });
});
