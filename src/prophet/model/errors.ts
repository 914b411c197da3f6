/**
 * What kind of failure an error is: front ends map it to an exit status or
 * an HTTP status, and code reacts to it without parsing messages.
 */
export type ErrorCode =
  /** The user's input or command line was wrong. */
  | 'usage'
  /** A record, changeset, token or file named does not exist. */
  | 'not-found'
  /** A directory is not a replica (or not one to merge into). */
  | 'not-replica'
  /** An id that could name several records. */
  | 'ambiguous'
  /** A replica made by a newer release. */
  | 'schema'
  /** Something already exists where it would be created. */
  | 'exists'
  /** Who someone or something is: no email to record, a replica merged into itself, another database. */
  | 'identity'
  /** Record properties refused by the record type's rules. */
  | 'validation'
  /** A conflict nothing could settle. */
  | 'conflict'
  /** Data from a peer, a file or a server that failed verification. */
  | 'bad-data'
  /** Changesets the replica's trust policy refuses: unsigned, badly signed, or signed by a key it does not trust. */
  | 'untrusted'
  /** Reading or writing files, disks, the database. */
  | 'io'
  /** Talking to an HTTP server failed. */
  | 'http'
  /** A server wants a (valid) token. */
  | 'unauthorized'
  /** A server, or a replica, that takes no writes. */
  | 'read-only'
  /** The replica is locked by another process for longer than we wait. */
  | 'busy'
  /** The database server behind a hub cannot be reached or stopped answering. */
  | 'unavailable'
  /** The user gave up (an editor closed unchanged, a prompt answered q). */
  | 'aborted'
  /** Some of several operations failed (pull --all). */
  | 'partial'
  /** A state the code should never reach; reported, not the user's fault. */
  | 'internal';

/**
 * An error a user can act on: the CLI prints its message as one line and
 * exits non-zero, without a stack trace unless --debug is given.
 */
export class ProphetError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'usage',
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
