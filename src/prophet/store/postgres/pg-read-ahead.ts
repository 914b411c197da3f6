/**
 * What a PostgreSQL store reads with each BEGIN, once the write lock is
 * held, in BEGIN's own round trip (PgConnection.readAtBegin): what every
 * write transaction asks for first, and what the caller said the next one
 * would read. A push then reads nothing else before it writes.
 */
import type { TablePrefix } from '../schema.js';
import type { ExpectedReads } from '../store.js';
import type { BeginReads, Param } from './pg-connection.js';

/** The latest sequence number and the local ids at both ends ($_ stands for the prefix). */
export const LOCKED_READS = ['SELECT COALESCE(MAX(seq), 0) FROM $_changesets', 'SELECT GREATEST(COALESCE(MAX(luid), 0), 0) FROM $_records', 'SELECT LEAST(COALESCE(MIN(luid), 0), 0) FROM $_records'];

/** Merge tickets read ahead with a BEGIN, at most. */
const TICKETS_AHEAD = 4;

/** A record row as the store reads it: luid, uuid, type, live, props, heads (the last two as stored text). */
export type RecordRowWithHeads = [number, string, string, boolean, string, string];

/** What a transaction read at its BEGIN, or read and wrote since, kept while it holds the lock. */
export interface LockedReads {
  /** PgConnection.lockedGeneration when read: anything else is another transaction's. */
  generation: number;
  latest?: number;
  tickets: Map<string, number>;
  /** The highest local id, and the lowest (internal records count down from -1). */
  luids?: { highest: number; lowest: number };
  /** Rows by uuid as BEGIN read them (undefined: no such record); a row goes when this transaction writes its record. */
  records: Map<string, RecordRowWithHeads | undefined>;
  /** Local sequence numbers by origin (`seq@uuid`; undefined: not in the log), with what this transaction appended. */
  origins: Map<string, number | undefined>;
}

export function originKey(uuid: string, seq: number): string {
  return `${seq}@${uuid}`;
}

/** The reads a store has been told of or has reason to expect, made with the next BEGIN and then forgotten. */
export class ReadsAhead {
  /** Merge tickets read outside a transaction, most recent last: a merge reads its source's before its transaction and again inside. */
  private readonly tickets = new Set<string>();
  private expected: ExpectedReads = { records: [], changesets: [] };

  noteTicket(uuid: string): void {
    this.tickets.delete(uuid);
    this.tickets.add(uuid);
    // Several merges' asks may come between two transactions: only the latest matter.
    if (this.tickets.size > TICKETS_AHEAD) this.tickets.delete(this.tickets.values().next().value!);
  }

  /** The next transaction's reads, replacing any told before: those were for a transaction that has begun or never will. */
  expect(reads: ExpectedReads): void {
    this.expected = reads;
  }

  /** The columns for the next BEGIN, read into a fresh LockedReads handed to `keep`. */
  atBegin(p: TablePrefix, param: Param, keep: (reads: Omit<LockedReads, 'generation'>) => void): BeginReads {
    const tickets = [...this.tickets];
    const { records, changesets } = this.expected;
    this.tickets.clear();
    this.expected = { records: [], changesets: [] };
    const columns = LOCKED_READS.map((sql) => `(${sql.replaceAll('$_', p)})`);
    for (const uuid of tickets) columns.push(`(SELECT seq FROM ${p}merge_tickets WHERE replica_uuid = ${param(uuid)})`);
    if (records.length) {
      columns.push(`(SELECT json_agg(json_build_array(luid, uuid, type, live, props, heads)) FROM ${p}records WHERE uuid = ANY(${param(records)}::text[]))`);
    }
    if (changesets.length) {
      const uuids = param(changesets.map((c) => c.uuid));
      const seqs = param(changesets.map((c) => c.seq));
      columns.push(`(SELECT json_agg(json_build_array(origin_uuid, origin_seq, seq)) FROM ${p}changesets WHERE (origin_uuid, origin_seq) IN (SELECT * FROM unnest(${uuids}::text[], ${seqs}::bigint[])))`);
    }
    return {
      columns,
      take: (values) => {
        const [latest, highest, lowest] = values as [number, number, number];
        let at = LOCKED_READS.length;
        const kept = new Map(tickets.map((uuid) => [uuid, (values[at++] as number | null) ?? 0]));
        const found = new Map<string, RecordRowWithHeads | undefined>(records.map((uuid) => [uuid, undefined]));
        if (records.length) for (const row of (values[at++] as RecordRowWithHeads[] | null) ?? []) found.set(row[1], row);
        const origins = new Map<string, number | undefined>(changesets.map((c) => [originKey(c.uuid, c.seq), undefined]));
        if (changesets.length) for (const [uuid, seq, local] of (values[at++] as Array<[string, number, number]> | null) ?? []) origins.set(originKey(uuid, seq), local);
        keep({ latest, luids: { highest, lowest }, tickets: kept, records: found, origins });
      },
    };
  }
}
