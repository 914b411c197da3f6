/**
 * Issue 16's anchor dataset: 50,000 tickets of 10 string properties each,
 * about 26 MB as JSON, the same every time for a seed. Its SHA-256 is
 * printed with the results so another machine can check it runs the same data.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from './measure.js';

export const ANCHOR_RECORDS = 50_000;
const STATUSES = ['new', 'open', 'stalled', 'resolved', 'rejected'];
const WORDS = 'crash when saving the ticket list after sync fails on large attachment unicode title search slow login timeout page blank server error import export migration window resize keyboard shortcut broken link'.split(' ');

function words(rand: () => number, count: number): string {
  return Array.from({ length: count }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
}

function ticket(i: number, rand: () => number): Record<string, string> {
  return {
    summary: `Ticket ${i}: ${words(rand, 6 + Math.floor(rand() * 6))}`,
    status: STATUSES[Math.floor(rand() * STATUSES.length)]!,
    owner: `dev${Math.floor(rand() * 50)}@example.com`,
    reporter: `user${Math.floor(rand() * 2_000)}@example.org`,
    component: `component-${Math.floor(rand() * 20)}`,
    milestone: `release-1.${Math.floor(rand() * 12)}`,
    priority: String(1 + Math.floor(rand() * 5)),
    severity: ['blocker', 'critical', 'major', 'minor', 'trivial'][Math.floor(rand() * 5)]!,
    created: new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 7e10)).toISOString(),
    description: words(rand, 22 + Math.floor(rand() * 20)),
  };
}

/** The tickets, their JSON text (what the children load) and its SHA-256. */
export function anchorDataset(records = ANCHOR_RECORDS, seed = 16): { json: string; sha256: string } {
  const rand = seededRandom(seed);
  const json = JSON.stringify(Array.from({ length: records }, (_, i) => ticket(i, rand)));
  return { json, sha256: createHash('sha256').update(json).digest('hex') };
}
