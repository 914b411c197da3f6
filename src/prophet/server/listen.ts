import type { FastifyInstance } from 'fastify';
import { ProphetError } from '../model/errors.js';
import type { Replica } from '../replica/replica.js';
import { buildServer, type ServerOptions } from './app.js';
import { checkExposure, isLoopback } from './exposure.js';

export const DEFAULT_PORT = 8008;
export const DEFAULT_HOST = '127.0.0.1';

export interface ListenOptions extends ServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Accept tokens over plain HTTP beyond loopback (a TLS proxy in front, say). */
  insecure?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  /** The base URL clients use: `http://127.0.0.1:8008/`. */
  url: string;
  /** Reads need no token. */
  public: boolean;
  /** Only this machine can reach it. */
  loopback: boolean;
  close(): Promise<void>;
}

/**
 * Builds the server over `replica` and listens; a taken port is one clear
 * line, not a stack. Beyond loopback, reads need a token unless the
 * server is public, and tokens are refused over plain HTTP (see exposure.ts).
 */
export async function startServer(replica: Replica, opts: ListenOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? DEFAULT_HOST;
  const port = opts.port ?? DEFAULT_PORT;
  const isPublic = opts.public ?? isLoopback(host);
  checkExposure({ host, writable: !!opts.writable, public: isPublic, tls: !!opts.tls, insecure: !!opts.insecure });
  if (opts.localForms && !isLoopback(host)) throw new ProphetError(`browser writes without a login are for this machine only, not ${host}: serve on 127.0.0.1, or use --writable and log in with a token`, 'usage');
  const app = buildServer(replica, { ...opts, public: isPublic, listenHost: host });
  try {
    await app.listen({ port, host });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ProphetError(`port ${port} on ${host} is already in use; start the server on another port with --port`, 'io');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ProphetError(`cannot listen on ${host}: no such local address`, 'io');
    if (code === 'EACCES') throw new ProphetError(`not allowed to listen on port ${port} (ports below 1024 need privileges)`, 'io');
    throw err;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `${opts.tls ? 'https' : 'http'}://${shownHost}:${actualPort}/`, public: isPublic, loopback: isLoopback(host), close: () => app.close() };
}
