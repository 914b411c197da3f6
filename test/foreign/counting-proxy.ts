import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { listen } from '../http/static-server.js';

export interface SeenRequest {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of one server, counting what passes:
 * the dependable way to say "a repeated pull makes N requests", since RT
 * itself keeps no per-client count. It rewrites the target's origin to its
 * own in answers (RT builds REST2 `_url`s from its configured base URL), so
 * a client that follows those links still goes through it.
 */
export interface CountingProxy {
  /** `http://127.0.0.1:PORT`, no trailing slash, to use in place of the target's. */
  url: string;
  requests: SeenRequest[];
  /** Forget the requests seen so far. */
  reset(): void;
  /** Run `action` when the `n`-th request from now arrives, before it is forwarded (to kill a client mid-pull, say). */
  onRequest(n: number, action: (seen: SeenRequest) => void): void;
  /** While true, drop every connection unanswered, as an RT that went away would (still counted). */
  down: boolean;
  close(): Promise<void>;
}

const TEXTUAL = /json|text|xml|javascript/i;

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const origin = new URL(target);
  const requests: SeenRequest[] = [];
  let trigger: { at: number; action: (seen: SeenRequest) => void } | undefined;
  let self = '';

  const server: Server = createServer((req, res) => {
    const seen = { method: req.method ?? 'GET', path: req.url ?? '/' };
    requests.push(seen);
    if (trigger && requests.length >= trigger.at) {
      const { action } = trigger;
      trigger = undefined;
      action(seen);
    }
    if (proxy.down) {
      req.socket.destroy();
      return;
    }
    // Plain answers only, so the origin can be rewritten in them.
    const headers = { ...req.headers, host: origin.host, 'accept-encoding': 'identity' };
    // RT's CSRF check wants its own address in Referer/Origin: what a client of the proxy's address sends is rewritten back.
    for (const h of ['referer', 'origin'] as const) if (typeof headers[h] === 'string') headers[h] = headers[h].replaceAll(self, origin.origin);
    const upstream = httpRequest({ host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers }, (answer: IncomingMessage) => {
      const out = { ...answer.headers };
      if (typeof out.location === 'string') out.location = out.location.replaceAll(origin.origin, self);
      if (!TEXTUAL.test(String(answer.headers['content-type'] ?? ''))) {
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.from(Buffer.concat(chunks).toString('latin1').replaceAll(origin.origin, self), 'latin1');
        delete out['transfer-encoding'];
        out['content-length'] = String(body.length);
        res.writeHead(answer.statusCode ?? 502, out).end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const { url, close } = await listen(server);
  self = url.replace(/\/$/, '');
  const proxy: CountingProxy = {
    url: self,
    down: false,
    requests,
    reset: () => void requests.splice(0),
    onRequest(n, action) {
      trigger = { at: requests.length + n, action };
    },
    close,
  };
  return proxy;
}
