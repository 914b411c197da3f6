/**
 * An SD-shaped dataset for benchmarks: N tickets opened over three years,
 * with about five comments and a few small binary attachments each, made through SD's own record
 * types (defaults, validation) so the data is what `sd` would write.
 * Deterministic for a seed. Reusable: `generateSdDataset(root, {tickets})`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Replica } from '../src/prophet/replica/replica.js';
import { initSdReplica, openSdReplica } from '../src/sd/model/app.js';
import { timestamp } from '../src/sd/model/dates.js';
import { ATTACHMENT, COMMENT, TICKET } from '../src/sd/model/record-types.js';
import { seededRandom } from './measure.js';

export interface SdDatasetOptions {
  tickets: number;
  /** Average comments per ticket (0 to twice this, uniformly). */
  comments?: number;
  /** Average attachments per ticket. */
  attachments?: number;
  seed?: number;
  /** Tickets per changeset while loading. */
  batch?: number;
}

export interface SdDataset {
  root: string;
  env: NodeJS.ProcessEnv;
  tickets: number;
  comments: number;
  attachments: number;
  /** An owner with a known share of the tickets, for selective filters. */
  sampleOwner: string;
}

/**
 * A mature tracker: most tickets are closed. 12% new, 6% open (the
 * default active list), 4% stalled, the rest closed or rejected.
 */
function status(r: number): string {
  if (r < 0.12) return 'new';
  if (r < 0.18) return 'open';
  if (r < 0.22) return 'stalled';
  return r < 0.95 ? 'closed' : 'rejected';
}

const WORDS = ['sync', 'crash', 'slow', 'login', 'attachment', 'editor', 'search', 'pull', 'push', 'conflict', 'unicode', 'server', 'list', 'history'];

/** Tickets were opened evenly over three years up to mid-2026, so a date range holds its share of them. */
const FIRST_CREATED = Date.UTC(2023, 6, 1);
const CREATED_SPAN_MS = 3 * 365 * 86_400_000;
const HOUR_MS = 3_600_000;

function ticketProps(i: number, created: number, rand: () => number): Record<string, string> {
  const word = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  return {
    created: timestamp(new Date(created)),
    summary: `${word()} ${word()} problem #${i}`,
    status: status(rand()),
    milestone: ['alpha', 'beta', '1.0'][Math.floor(rand() * 3)]!,
    component: ['core', 'ui', 'docs', 'tests'][Math.floor(rand() * 4)]!,
    owner: `dev${Math.floor(rand() * 40)}@example.com`,
    reporter: `user${Math.floor(rand() * 500)}@example.com`,
    tags: `${word()} ${word()}`,
    description: `When I ${word()} after a ${word()}, the ${word()} goes wrong. Steps to reproduce follow in the comments.`,
  };
}

function load(replica: Replica, opts: Required<SdDatasetOptions>): { comments: number; attachments: number } {
  const rand = seededRandom(opts.seed);
  let comments = 0;
  let attachments = 0;
  for (let start = 0; start < opts.tickets; start += opts.batch) {
    const count = Math.min(opts.batch, opts.tickets - start);
    const uuids: string[] = [];
    const opened: number[] = [];
    replica.edit((e) => {
      for (let i = 0; i < count; i++) {
        opened.push(FIRST_CREATED + Math.floor(((start + i) / opts.tickets) * CREATED_SPAN_MS));
        uuids.push(e.create(TICKET, ticketProps(start + i + 1, opened[i]!, rand)));
      }
    });
    // Comments and attachments name committed tickets, as they do in use.
    replica.edit((e) => {
      uuids.forEach((ticket, t) => {
        const nComments = Math.floor(rand() * (2 * opts.comments + 1));
        for (let c = 0; c < nComments; c++) {
          const created = timestamp(new Date(opened[t]! + (c + 1) * HOUR_MS));
          e.create(COMMENT, { ticket, created, content: `Comment ${c}: I can reproduce this with ${Math.floor(rand() * 1000)} records.` });
        }
        const nAttachments = Math.floor(rand() * (2 * opts.attachments + 1));
        for (let a = 0; a < nAttachments; a++) {
          const bytes = randomBytes(200 + Math.floor(rand() * 800));
          e.create(ATTACHMENT, { ticket, created: timestamp(new Date(opened[t]! + HOUR_MS / 2)), name: `trace-${a}.bin`, content: bytes.toString('base64'), content_encoding: 'base64', content_type: 'application/octet-stream', size: String(bytes.length) });
        }
        comments += nComments;
        attachments += nAttachments;
      });
    });
  }
  return { comments, attachments };
}

/** Builds the dataset at `root` (a replica directory), or reuses one already there. */
export function generateSdDataset(root: string, options: SdDatasetOptions): SdDataset {
  const opts: Required<SdDatasetOptions> = { comments: 5, attachments: 2, seed: 42, batch: 500, ...options };
  const env: NodeJS.ProcessEnv = { HOME: join(root, '..'), PROPHET_EMAIL: 'bench@example.com', PATH: process.env.PATH };
  const reuse = existsSync(join(root, 'db.sqlite'));
  const replica = reuse ? openSdReplica(root, { env }) : initSdReplica(root, { env });
  try {
    const counts = reuse
      ? { comments: replica.countLive(COMMENT), attachments: replica.countLive(ATTACHMENT) }
      : load(replica, opts);
    return { root, env, tickets: replica.countLive(TICKET), ...counts, sampleOwner: 'dev7@example.com' };
  } finally {
    replica.close();
  }
}
