/**
 * An error a user can act on: the CLI prints its message as one line and
 * exits non-zero, without a stack trace unless --debug is given.
 */
export class ProphetError extends Error {
  constructor(
    message: string,
    readonly code: string = 'usage',
  ) {
    super(message);
    this.name = 'ProphetError';
  }
}

/** Validation failures of one record, collected and reported together. */
export class ValidationError extends ProphetError {
  constructor(readonly errors: Record<string, string>) {
    super(
      Object.entries(errors)
        .map(([prop, message]) => `Validation error for '${prop}': ${message}.`)
        .join('\n'),
      'validation',
    );
    this.name = 'ValidationError';
  }
}

/** Data from a peer, a file or a server that failed verification. */
export class BadDataError extends ProphetError {
  constructor(message: string) {
    super(message, 'bad-data');
    this.name = 'BadDataError';
  }
}
