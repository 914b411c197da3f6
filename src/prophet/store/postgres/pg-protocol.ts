import type { MessagePort } from 'node:worker_threads';

/** What the calling thread asks of the PostgreSQL worker (pg-worker.ts), one request at a time. */
export type PgRequest =
  | { kind: 'open'; id: number; url: string; statementTimeoutMs: number }
  /** Statements run in order until one fails: writes held back (PgConnection.defer), then the one whose rows are wanted. */
  | { kind: 'query'; id: number; statements: PgStatement[] }
  | { kind: 'close'; id: number };

export interface PgStatement {
  sql: string;
  params: unknown[];
}

/** The last statement's rows as arrays of column values, in its column order; or why one failed, and which (its index). */
export type PgAnswer = { rows: unknown[][] } | { error: { message: string; code: string; at?: number } };

/** The worker's answer to request number `n`. */
export interface PgReply {
  n: number;
  answer: PgAnswer;
}

/** What the worker starts with: the port it answers on and the counter it bumps after each answer. */
export interface PgWorkerData {
  port: MessagePort;
  answered: Int32Array;
}
