/**
 * A foreign replica's bookkeeping, all in the local replica's metadata
 * (never synced), under one namespace per foreign replica:
 *
 * | key | value |
 * |---|---|
 * | `uuid:<path>` | the local uuid of a record SD created remotely (others derive from their path) |
 * | `path:<uuid>` | where a local record lives remotely |
 * | `origin:<uuid>` | a remote record's pseudo-replica uuid: changesets from it are not sent back |
 * | `head:<uuid>:<prop>` | the changeset whose value the remote holds (`:` alone: the record's existence): the `pred` of the next remote write |
 * | `ours:<origin>:<seq>` | a remote transaction a push made: pulls skip it |
 * | `done:<changeset id>:<uuid>` | a change already sent, so a push retried after a failure does not send it twice |
 * | `pushed` | the local log position pushed up to (the foreign side's merge ticket) |
 * | `window` | where the next search starts (the connector's own terms) |
 * | `seen:<path>` | the remote record's `updated` when its history was last read through: unchanged, it is not read again (followed by `(unsettled)` when it may have changed since without `updated` moving) |
 *
 * Pull high-water marks are the local merge tickets of the remote records'
 * pseudo-replicas, kept by the merge engine in the same transactions.
 */
import type { Metadata, Replica } from '../replica/replica.js';

export function bookNamespace(foreignUuid: string): string {
  return `foreign-${foreignUuid}-`;
}

export class ForeignBook {
  readonly namespace: string;
  private readonly meta: Metadata;

  constructor(
    readonly local: Replica,
    foreignUuid: string,
  ) {
    this.namespace = bookNamespace(foreignUuid);
    this.meta = local.metadata(this.namespace);
  }

  get(key: string): string | undefined {
    return this.meta.get(key);
  }

  set(values: Record<string, string>): void {
    for (const [key, value] of Object.entries(values)) this.meta.set(key, value);
  }

  mappedUuid(path: string): string | undefined {
    return this.meta.get(`uuid:${path}`);
  }

  pathOf(uuid: string): string | undefined {
    return this.meta.get(`path:${uuid}`);
  }

  isOrigin(uuid: string): boolean {
    return this.meta.get(`origin:${uuid}`) !== undefined;
  }

  head(uuid: string, prop: string): string | undefined {
    return this.meta.get(`head:${uuid}:${prop}`);
  }

  isOurs(origin: string, seq: number): boolean {
    return this.meta.get(`ours:${origin}:${seq}`) !== undefined;
  }

  isDone(changesetId: string, uuid: string): boolean {
    return this.meta.get(`done:${changesetId}:${uuid}`) !== undefined;
  }

  pushed(): number {
    return Number(this.meta.get('pushed') ?? 0);
  }

  window(): string | undefined {
    return this.meta.get('window');
  }

  seen(path: string): string | undefined {
    return this.meta.get(`seen:${path}`);
  }
}

export const keys = {
  uuid: (path: string) => `uuid:${path}`,
  path: (uuid: string) => `path:${uuid}`,
  origin: (uuid: string) => `origin:${uuid}`,
  head: (uuid: string, prop: string) => `head:${uuid}:${prop}`,
  ours: (origin: string, seq: number) => `ours:${origin}:${seq}`,
  done: (changesetId: string, uuid: string) => `done:${changesetId}:${uuid}`,
  pushed: 'pushed',
  window: 'window',
  seen: (path: string) => `seen:${path}`,
};
