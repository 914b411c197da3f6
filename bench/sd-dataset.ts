/**
 * An SD-shaped dataset for benchmarks: N tickets opened over three years,
 * with about five comments and a few small binary attachments each (fewer
 * with options), made through SD's own record types (defaults, validation)
 * so the data is what `sd` would write. Deterministic for a seed:
 * everything but the uuids comes from the seeded generator or the ticket's
 * number, and the sha256 of that content is kept next to the replica
 * (`ROOT.json`) so a reused dataset still names it. Reusable:
 * `generateSdDataset(root, {tickets})`.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  /** Average attachments per ticket; below 1, the share of tickets with one. */
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
  /** sha256 of the generated content (record types, properties, which ticket each belongs to), as hex. */
  sha256: string;
  /** How long building it took, in this run or (reused) when it was built; undefined if not recorded. */
  buildMs?: number;
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

/** About `average` (0 to twice it, uniformly); an average below 1 is the chance of one. */
function countAround(average: number, rand: () => number): number {
  return average < 1 ? Number(rand() < average) : Math.floor(rand() * (2 * average + 1));
}

/** Attachment bytes from the seeded generator, so the dataset's hash covers them. */
function seededBytes(length: number, rand: () => number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(rand() * 256);
  return bytes;
}

/** Creates a record and feeds its content to the dataset's hash (`ticket` by number: uuids are random). */
function createHashed(hash: Hash, type: string, ticketNo: number, props: Record<string, string>, create: () => string): string {
  hash.update(JSON.stringify([type, ticketNo, props]));
  return create();
}

function load(replica: Replica, opts: Required<SdDatasetOptions>): { comments: number; attachments: number; sha256: string; buildMs: number } {
  const started = Date.now();
  const rand = seededRandom(opts.seed);
  const hash = createHash('sha256');
  let comments = 0;
  let attachments = 0;
  for (let start = 0; start < opts.tickets; start += opts.batch) {
    const count = Math.min(opts.batch, opts.tickets - start);
    const uuids: string[] = [];
    const opened: number[] = [];
    replica.edit((e) => {
      for (let i = 0; i < count; i++) {
        opened.push(FIRST_CREATED + Math.floor(((start + i) / opts.tickets) * CREATED_SPAN_MS));
        const props = ticketProps(start + i + 1, opened[i]!, rand);
        uuids.push(createHashed(hash, TICKET, start + i + 1, props, () => e.create(TICKET, props)));
      }
    });
    // Comments and attachments name committed tickets, as they do in use.
    replica.edit((e) => {
      uuids.forEach((ticket, i) => {
        const no = start + i + 1;
        const nComments = countAround(opts.comments, rand);
        for (let c = 0; c < nComments; c++) {
          const props = { created: timestamp(new Date(opened[i]! + (c + 1) * HOUR_MS)), content: `Comment ${c}: I can reproduce this with ${Math.floor(rand() * 1000)} records.` };
          createHashed(hash, COMMENT, no, props, () => e.create(COMMENT, { ticket, ...props }));
        }
        const nAttachments = countAround(opts.attachments, rand);
        for (let a = 0; a < nAttachments; a++) {
          const bytes = seededBytes(200 + Math.floor(rand() * 800), rand);
          const props = { created: timestamp(new Date(opened[i]! + HOUR_MS / 2)), name: `trace-${a}.bin`, content: bytes.toString('base64'), content_encoding: 'base64', content_type: 'application/octet-stream', size: String(bytes.length) };
          createHashed(hash, ATTACHMENT, no, props, () => e.create(ATTACHMENT, { ticket, ...props }));
        }
        comments += nComments;
        attachments += nAttachments;
      });
    });
  }
  return { comments, attachments, sha256: hash.digest('hex'), buildMs: Date.now() - started };
}

/** Builds the dataset at `root` (a replica directory), or reuses one already there. */
export function generateSdDataset(root: string, options: SdDatasetOptions): SdDataset {
  const opts: Required<SdDatasetOptions> = { comments: 5, attachments: 2, seed: 42, batch: 500, ...options };
  const env: NodeJS.ProcessEnv = { HOME: join(root, '..'), PROPHET_EMAIL: 'bench@example.com', PATH: process.env.PATH };
  const sidecar = `${root}.json`;
  const reuse = existsSync(join(root, 'db.sqlite'));
  const replica = reuse ? openSdReplica(root, { env }) : initSdReplica(root, { env });
  try {
    const recorded = reuse && existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as { sha256: string; buildMs?: number }) : undefined;
    const counts = reuse
      ? { comments: replica.countLive(COMMENT), attachments: replica.countLive(ATTACHMENT), sha256: recorded?.sha256 ?? 'unknown (made before hashes)', buildMs: recorded?.buildMs }
      : load(replica, opts);
    if (!reuse) writeFileSync(sidecar, JSON.stringify({ ...opts, sha256: counts.sha256, buildMs: counts.buildMs }));
    return { root, env, tickets: replica.countLive(TICKET), ...counts, sampleOwner: 'dev7@example.com' };
  } finally {
    replica.close();
  }
}
