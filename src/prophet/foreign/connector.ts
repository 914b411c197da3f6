/**
 * What a foreign tracker (RT, Redmine, GitHub...) must provide to be a
 * replica: find what changed, read one record's history after a mark,
 * apply a local change. Everything else (ids, changesets, bookkeeping,
 * echo suppression, retries) is the framework's. A connector speaks in
 * record types and property names the app understands; Prophet knows
 * neither tickets nor the tracker.
 */
import type { Properties } from '../model/types.js';

/** A remote record the search found. */
export interface RemoteRef {
  /** Its path under the connector's `recordBase` (`/ticket/42`): its uuid derives from it. */
  path: string;
  /** When it last changed, in the connector's terms: the greatest becomes the next search window. */
  updated: string;
  /**
   * `updated` is a digest, not a time: it says whether the record changed
   * but does not move the search window (a collection's own settings, which
   * the tracker keeps no time for).
   */
  digest?: boolean;
  /**
   * The record may yet change without `updated` moving: the tracker's
   * clock has whole seconds and the second it was last updated in was not
   * over when the tracker answered. It is read again next time even if
   * `updated` is the same.
   */
  unsettled?: boolean;
}

/** One record written by a remote transaction, in the app's terms. */
export interface RemoteChange {
  /** The written record's path (`/ticket/42`, `/transaction/977`). */
  path: string;
  /** Its local uuid when the app fixes it (a replicated setting's); else it derives from the path. */
  uuid?: string;
  recordType: string;
  changeType: 'add' | 'update' | 'delete';
  /** New values; null unsets. For an add, the record's values. */
  props: Record<string, string | null>;
}

/** One remote transaction: it becomes one changeset, authored and dated as the remote says. */
export interface RemoteTransaction {
  /** The remote's transaction number: increasing along the record's history. */
  seq: number;
  author: string | null;
  /** ISO 8601, UTC. */
  created: string;
  changes: RemoteChange[];
}

export interface RemoteHistory {
  /** After the mark, oldest first; those the connector could not map are left out (with a notice). */
  transactions: RemoteTransaction[];
  /** The greatest transaction number read, mapped or not: the record's next mark. */
  last: number;
}

/** A local change to send, with what the connector needs to send it. */
export interface LocalChange {
  uuid: string;
  recordType: string;
  changeType: 'add' | 'update' | 'delete';
  /** The properties this change writes: new values, null for unset. */
  props: Record<string, string | null>;
  /** The record as the local replica shows it now. */
  record: Properties;
  /** Where the record lives remotely, if it does. */
  path?: string;
  creator: string | null;
  created: string;
}

/** What applying a local change did remotely. */
export interface Applied {
  /** The remote record it wrote (a new ticket's path for an add). */
  path: string;
  /** The record whose history holds the transactions below (a comment's ticket). */
  owner: string;
  /** The remote transactions this change made: a later pull skips them. */
  transactions: number[];
  /** The properties the remote took (default: all of the change's). */
  props?: string[];
}

/** What the framework tells a connector about the local side. */
export interface ForeignContext {
  /** The local uuid of a remote record: the one SD gave it when it created it remotely, else derived from its path. */
  uuidOf(path: string): string;
  /** Where a local record lives remotely, if it does. */
  pathOf(uuid: string): string | undefined;
  /** The highest transaction of a remote record already read or sent. */
  mark(path: string): number;
  /** A transaction of this record that a push made. */
  isOurs(path: string, seq: number): boolean;
  /**
   * The value of a local record's property that the remote holds as far as
   * this replica knows (the last one pulled from it or pushed to it, null
   * for unset or never written); undefined when the record is not known
   * remotely, or when the local value has moved
   * on since (an edit not pushed yet). For trackers that keep no history
   * of a field (GitHub's issue bodies): a current value that differs from
   * it is a remote edit.
   */
  remoteValue(uuid: string, prop: string): string | null | undefined;
  /** One line for the user: something could not be mapped and was skipped. */
  notice(line: string): void;
}

export interface ForeignConnector {
  /** Names the remote collection (server and queue, never credentials): the foreign replica's uuid derives from it. */
  readonly identityUrl: string;
  /** The remote server's base URL: record uuids derive from it plus a record's path. */
  readonly recordBase: string;
  /** For messages; credentials masked. */
  readonly description: string;
  /**
   * The record types it syncs, parents first (`ticket`, `comment`,
   * `attachment`): a changeset's changes are sent in this order, so a
   * comment goes after the ticket it belongs to. Others are not sent.
   */
  readonly recordTypes: readonly string[];
  /** What `find` finds, for progress messages: `tickets`. */
  readonly searched: string;
  /** Checks the connection, the credentials and the collection (queue, query): fails with one line. */
  open(): Promise<void>;
  /** The records changed since `window` (all of them when undefined). */
  find(window: string | undefined): Promise<RemoteRef[]>;
  /**
   * Where the next `find` starts, once every record `find` returned is in:
   * the connector's own terms (a time and a validator for a conditional
   * request, say). Default: the greatest `updated`. Undefined keeps the
   * window as it is.
   */
  windowAfter?(found: RemoteRef[]): string | undefined;
  /** A record's transactions after `after`, translated. */
  history(ref: RemoteRef, after: number, ctx: ForeignContext): Promise<RemoteHistory>;
  /** Sends a local change; undefined when this kind of record is not sent (the framework notes it once). */
  apply(change: LocalChange, ctx: ForeignContext): Promise<Applied | undefined>;
  /** Requests made so far. */
  requests(): number;
  close?(): Promise<void>;
}
