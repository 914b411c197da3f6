import type { MessagePort } from 'node:worker_threads';

/** What the calling thread asks of the PostgreSQL worker (pg-worker.ts), one request at a time. */
export type PgRequest =
  | { kind: 'open'; id: number; url: string; statementTimeoutMs: number }
  | { kind: 'query'; id: number; sql: string; params: unknown[] }
  | { kind: 'close'; id: number };

/** Rows as arrays of column values, in the statement's column order; or why it failed. */
export type PgAnswer = { rows: unknown[][] } | { error: { message: string; code: string } };

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
