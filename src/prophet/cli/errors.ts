import { ProphetError } from '../model/errors.js';

/** A command line the CLI cannot understand: exit code 2, with a pointer to help. */
export class UsageError extends ProphetError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}

/** Exit codes: documented in docs/cli.md. */
export const EXIT = { ok: 0, error: 1, usage: 2, internal: 70 } as const;
