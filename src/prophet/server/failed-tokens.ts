import { LRUCache } from 'lru-cache';

export interface FailedTokenLimit {
  /** Failed token attempts an address may make in one window; past that its token requests get 429. */
  max: number;
  windowMs: number;
}

export const DEFAULT_FAILED_TOKEN_LIMIT: FailedTokenLimit = { max: 10, windowMs: 60_000 };

/** Addresses remembered at once: a flood from many addresses forgets the oldest instead of growing without bound. */
const ADDRESSES = 10_000;

/**
 * Failed token attempts per client address, in fixed windows starting at
 * an address's first failure. Guessing a 256-bit secret is hopeless
 * anyway; this keeps a guesser from filling the log and the CPU, and
 * makes one visible.
 */
export class FailedTokens {
  private readonly failures: LRUCache<string, number>;

  constructor(readonly limit: FailedTokenLimit = DEFAULT_FAILED_TOKEN_LIMIT) {
    this.failures = new LRUCache({ max: ADDRESSES, ttl: limit.windowMs });
  }

  /** Seconds until `address` may present a token again; 0 when it may now. */
  retryAfter(address: string): number {
    if ((this.failures.get(address) ?? 0) < this.limit.max) return 0;
    return Math.max(1, Math.ceil(this.failures.getRemainingTTL(address) / 1000));
  }

  /** Counts one failure of `address` and returns its count in the current window. */
  record(address: string): number {
    const count = (this.failures.get(address) ?? 0) + 1;
    // The window keeps its start: failures do not extend it.
    this.failures.set(address, count, { noUpdateTTL: true });
    return count;
  }
}
