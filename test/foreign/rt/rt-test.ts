import { randomBytes } from 'node:crypto';
import { describe, inject, type SuiteAPI } from 'vitest';
import { RtRest, type RtLogin } from './rt-rest.js';
import type { RtServer } from './rt-server.js';

/** The run's RT, or null when it could not be had (global-setup printed why, loudly). */
export const rtServer: RtServer | null = inject('rtServer');

/** `describe` for tests that need RT: skipped only when there is no RT server this run. */
export const describeRt: ReturnType<SuiteAPI['skipIf']> = describe.skipIf(!rtServer);

export interface RtQueue {
  server: RtServer;
  rest: RtRest;
  /** The queue's name, unique to the test. */
  queue: string;
}

/**
 * A queue of its own for one test, so tests share the server but not
 * tickets and can run in any order. Queues named `scrip-...` get the test
 * scrip (priority 77 on every status change, by RT_System).
 */
export async function freshQueue(prefix = 'sd'): Promise<RtQueue> {
  if (!rtServer) throw new Error(`no RT server: ${inject('rtUnavailable')}`);
  const rest = new RtRest(rtServer);
  const queue = await rest.createQueue(`${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
  return { server: rtServer, rest, queue };
}

/**
 * The foreign-replica URL for a queue: `rt:http://[user:password@]host:port|Queue|TicketSQL`.
 * `base` replaces the server's address (a counting proxy's, say).
 */
export function rtUrl(q: { server: RtLogin; queue: string }, opts: { sql?: string; credentials?: boolean; base?: string } = {}): string {
  const base = new URL(opts.base ?? q.server.url);
  const auth = (opts.credentials ?? true) ? `${encodeURIComponent(q.server.user)}:${encodeURIComponent(q.server.password)}@` : '';
  return `rt:${base.protocol}//${auth}${base.host}|${q.queue}|${opts.sql ?? ''}`;
}
