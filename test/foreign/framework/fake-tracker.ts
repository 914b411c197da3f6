/**
 * A tracker in memory for the framework's tests: records with a linear
 * history of transactions, numbered across the tracker as RT numbers them.
 * Not a mock of any real API: the connector contract, kept by a real
 * implementation that only lives in memory.
 */
import { ProphetError, type Applied, type ForeignConnector, type ForeignContext, type LocalChange, type RemoteHistory, type RemoteRef } from '../../../src/prophet/index.js';

interface Txn {
  seq: number;
  author: string;
  props: Record<string, string | null>;
  create?: boolean;
}

export class FakeTracker {
  private next = 1;
  readonly items = new Map<number, { props: Record<string, string>; txns: Txn[]; updated: number }>();
  /** When set, every apply fails with this (the tracker is down). */
  down?: string;
  /** A clock stuck in one second: edits leave `updated` where it was, and the search says its records may change unseen. */
  clockStopped = false;
  requests = 0;

  create(props: Record<string, string>, author = 'remote@example.com'): number {
    const id = this.items.size + 1;
    this.items.set(id, { props: { ...props }, txns: [{ seq: this.next++, author, props, create: true }], updated: this.next });
    return id;
  }

  update(id: number, props: Record<string, string | null>, author = 'remote@example.com'): number {
    const item = this.items.get(id)!;
    const seq = this.next++;
    for (const [k, v] of Object.entries(props)) {
      if (v === null) delete item.props[k];
      else item.props[k] = v;
    }
    item.txns.push({ seq, author, props });
    if (!this.clockStopped) item.updated = this.next;
    return seq;
  }

  connector(): ForeignConnector {
    return connectorOf(this);
  }
}

function connectorOf(tracker: FakeTracker): ForeignConnector {
  return {
    identityUrl: 'fake://tracker|main',
    recordBase: 'fake://tracker',
    description: 'fake:tracker',
    recordTypes: ['note'],
    searched: 'notes',
    async open() {},
    async find(window) {
      tracker.requests++;
      return [...tracker.items].filter(([, item]) => window === undefined || String(item.updated).padStart(8, '0') >= window).map(([id, item]): RemoteRef => ({ path: `/note/${id}`, updated: String(item.updated).padStart(8, '0'), unsettled: tracker.clockStopped }));
    },
    async history(ref, after): Promise<RemoteHistory> {
      tracker.requests++;
      const item = tracker.items.get(Number(ref.path.slice('/note/'.length)))!;
      const txns = item.txns.filter((t) => t.seq > after);
      return {
        transactions: txns.map((t) => ({ seq: t.seq, author: t.author, created: new Date(Date.UTC(2026, 0, 1, 0, 0, t.seq)).toISOString(), changes: [{ path: ref.path, recordType: 'note', changeType: t.create ? 'add' : 'update', props: t.props }] })),
        last: txns.reduce((m, t) => Math.max(m, t.seq), after),
      };
    },
    async apply(change: LocalChange, ctx: ForeignContext): Promise<Applied> {
      tracker.requests++;
      if (tracker.down) throw new ProphetError(tracker.down, 'http');
      const clean = Object.fromEntries(Object.entries(change.props).filter(([k]) => k !== 'created'));
      if (change.changeType === 'add') {
        const id = tracker.create(clean as Record<string, string>, 'sd@example.com');
        const path = `/note/${id}`;
        return { path, owner: path, transactions: tracker.items.get(id)!.txns.map((t) => t.seq) };
      }
      const path = change.path ?? ctx.pathOf(change.uuid)!;
      const seq = tracker.update(Number(path.slice('/note/'.length)), clean, 'sd@example.com');
      return { path, owner: path, transactions: [seq] };
    },
    requests: () => tracker.requests,
  };
}
