import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** The path a request asks for. */
export function requestPath(req: IncomingMessage): string {
  return decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
}

/** The file under `root` a path names, if it is one: what any web host serves. */
export function fileFor(root: string, path: string): string | undefined {
  const file = normalize(join(root, path));
  return file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** Answers with the file under `root` that `path` names, as a web host would. */
export function serveFile(root: string, path: string, res: ServerResponse): void {
  const file = fileFor(root, path);
  if (!file) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-length': statSync(file).size });
  createReadStream(file).pipe(res);
}

/** Listens on 127.0.0.1 on a free port; `close` also drops connections still open (a stalled answer, say). */
export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
    const path = requestPath(req);
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
    serveFile(root, path, res);
  });
  const { url, close } = await listen(server);
  return {
    url,
    requests,
    failNext(n, status) {
      failures = n;
      failStatus = status;
    },
    dieAfter(n) {
      remaining = n;
    },
    close,
  };
}
