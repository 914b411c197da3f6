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
  /** A prepared statement's name: parsed and planned once per connection, then only executed. */
  name?: string;
}

/** The last statement's rows as arrays of column values, in its column order; or why one failed, and which (its index). */
export type PgAnswer = { rows: unknown[][] } | { error: { message: string; code: string; at?: number } };

/** The worker's answer to request number `n`. */
export interface PgReply {
  n: number;
  answer: PgAnswer;
}

/** What the worker starts with: the port it answers on and the counters it bumps. */
export interface PgWorkerData {
  port: MessagePort;
  /** Bumped after each answer. */
  answered: Int32Array;
  /** Bumped whenever a metadata table may have changed: another connection's notice of a commit (METADATA_CHANNEL), or a connection lost. */
  metadataEpoch: Int32Array;
}

/**
 * Notified by a trigger on every metadata table when a transaction that
 * wrote it commits (pg-schema.ts); every connection listens. One channel
 * for the whole database: a write to any prefix's table empties every
 * cache, more often than needed but never too seldom.
 */
export const METADATA_CHANNEL = 'prophet_metadata';
