import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileFor, listen, requestPath, serveFile } from './static-server.js';

/**
 * The ways a server (or the network between) lets a client down. Each
 * is done to the real bytes of the file asked for, so a client that gets
 * past the misbehaviour would see a valid answer.
 */
export type Misbehaviour =
  /** Sends half the file with the right Content-Length, then drops the connection. */
  | 'close-mid-body'
  /** Claims more bytes than the file has, sends the file, then closes the connection. */
  | 'long-content-length'
  /** Claims fewer bytes than the file has, then sends the whole file. */
  | 'short-content-length'
  /** Sends half the file, then nothing more, with the connection left open. */
  | 'stall-body'
  /** Reads the request and never answers. */
  | 'never-answer'
  /** Answers 200 and streams whitespace for ever (chunked: no Content-Length). */
  | 'endless-body'
  /** Claims a 3 GiB body, then streams whitespace. */
  | 'huge-content-length';

interface Rule {
  how: Misbehaviour;
  path: RegExp;
  /** How many more requests it applies to. */
  left: number;
}

export interface HostileServer {
  url: string;
  /** Every request, in order: its path and its Authorization header. */
  requests: Array<{ path: string; authorization?: string }>;
  /** Misbehave on the next `times` requests (default: all) for paths matching `path`; then serve the folder honestly. */
  misbehave(how: Misbehaviour, path: RegExp, times?: number): void;
  /** Serves honestly from now on. */
  recover(): void;
  close(): Promise<void>;
}

const SPACES = Buffer.alloc(64 * 1024, ' ');

/** Writes whitespace as fast as the client reads it, until it hangs up. */
function stream(res: ServerResponse): void {
  const more = () => {
    while (!res.destroyed && res.write(SPACES));
  };
  res.on('drain', more);
  more();
}

/** An answer written straight to the socket, where Node's server would refuse to lie about the length. */
function rawAnswer(req: IncomingMessage, length: number, body: Buffer): void {
  req.socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`), body]));
}

function misbehave(how: Misbehaviour, data: Buffer, req: IncomingMessage, res: ServerResponse): void {
  const half = data.subarray(0, Math.floor(data.length / 2));
  switch (how) {
    case 'close-mid-body':
      res.writeHead(200, { 'content-length': data.length });
      res.write(half, () => req.socket.destroy());
      return;
    case 'long-content-length':
      return rawAnswer(req, data.length + 1000, data);
    case 'short-content-length':
      return rawAnswer(req, data.length - 10, data);
    case 'stall-body':
      res.writeHead(200, { 'content-length': data.length });
      res.write(half);
      return;
    case 'never-answer':
      return;
    case 'endless-body':
      res.writeHead(200, { 'content-type': 'application/json' });
      return stream(res);
    case 'huge-content-length':
      res.writeHead(200, { 'content-length': 3 * 1024 ** 3 });
      return stream(res);
  }
}

/**
 * A static host over a published folder that misbehaves on demand, on
 * 127.0.0.1: for checking that a client fails cleanly, fast and within
 * bounded memory, and recovers when the server does.
 */
export async function startHostileServer(root: string): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  const rules: Rule[] = [];
  const server = createServer((req, res) => {
    const path = requestPath(req);
    requests.push({ path, authorization: req.headers.authorization });
    const rule = rules.find((r) => r.left > 0 && r.path.test(path));
    const file = fileFor(root, path);
    if (!rule || !file) return serveFile(root, path, res);
    rule.left--;
    misbehave(rule.how, readFileSync(file), req, res);
  });
  const { url, close } = await listen(server);
  return {
    url,
    requests,
    misbehave(how, path, times = Infinity) {
      rules.push({ how, path, left: times });
    },
    recover() {
      rules.length = 0;
    },
    close,
  };
}
