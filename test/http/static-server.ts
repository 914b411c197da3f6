import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

/** A plain static file server over a folder, like any web host: GET only, 404 otherwise. */
export interface StaticServer {
  url: string;
  /** Requests served so far, by path. */
  requests: string[];
  /** Answer the next `n` requests with this status instead. */
  failNext(n: number, status: number): void;
  /** Drop the connection of every request after `n` more have been served. */
  dieAfter(n: number): void;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** `user:password` every request must send as HTTP Basic auth (else 401), like a host behind auth_basic. */
  basicAuth?: string;
}

export async function startStaticServer(root: string, opts: StaticServerOptions = {}): Promise<StaticServer> {
  const requests: string[] = [];
  let failures = 0;
  let failStatus = 500;
  let remaining = Infinity;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (remaining-- <= 0) {
      req.socket.destroy();
      return;
    }
    if (opts.basicAuth && req.headers.authorization !== `Basic ${Buffer.from(opts.basicAuth).toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic' }).end('who are you?');
      return;
    }
    if (failures > 0) {
      failures--;
      res.writeHead(failStatus).end('failing on purpose');
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    failNext(n, status) {
      failures = n;
      failStatus = status;
    },
    dieAfter(n) {
      remaining = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
