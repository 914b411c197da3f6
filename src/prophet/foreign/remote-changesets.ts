/**
 * Remote history as changesets. Each remote record is a replica of its
 * own (its pseudo-replica uuid derives from its path): a transaction
 * becomes the changeset `<transaction number>@<record's uuid>`, so the
 * local merge tickets are per-record high-water marks. Every write names
 * as `pred` the write whose value the remote held before (the last one
 * pulled from it or pushed to it), so the write rule sees a remote edit
 * concurrent with a local one as the conflict it is, exactly as between
 * native replicas.
 */
import { changesetId, hashChangeset, serializeChangeset } from '../model/changeset.js';
import { isInternalType, type Change, type ChangesetContent, type PropChange, type Properties } from '../model/types.js';
import type { ChangesetEntry } from '../sync/source.js';
import { keys, type ForeignBook } from './book.js';
import type { RemoteChange, RemoteTransaction } from './connector.js';

const EXISTENCE = '';

export class RemoteChangesets {
  /** What this pull has written but not yet committed: heads and values by record. */
  private readonly heads = new Map<string, string>();
  private readonly values = new Map<string, Properties>();
  /** Records written, by type, for the summary. */
  private readonly written = new Map<string, Set<string>>();

  constructor(
    private readonly book: ForeignBook,
    private readonly uuidOf: (path: string) => string,
  ) {}

  /** How many records of each type this pull wrote. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.written].map(([type, uuids]) => [type, uuids.size]));
  }

  private head(uuid: string, prop: string): string | undefined {
    return this.heads.get(`${uuid}:${prop}`) ?? this.book.head(uuid, prop);
  }

  private state(uuid: string): Properties {
    let props = this.values.get(uuid);
    if (!props) {
      props = { ...(this.book.local.findRecord(uuid)?.props ?? {}) };
      this.values.set(uuid, props);
    }
    return props;
  }

  /** The changeset for one remote transaction of the record whose pseudo-replica is `origin`, and the bookkeeping that commits with it. */
  entry(origin: string, originPath: string, txn: RemoteTransaction, position: number): ChangesetEntry {
    const id = changesetId(origin, txn.seq);
    const book: Record<string, string> = { [keys.origin(origin)]: originPath };
    const changes: Record<string, Change> = {};
    for (const remote of txn.changes) {
      const uuid = remote.uuid ?? this.uuidOf(remote.path);
      const change = this.change(uuid, remote, id, book);
      if (!change) continue;
      changes[uuid] = change;
      book[keys.path(uuid)] = remote.path;
      if (isInternalType(remote.recordType)) continue;
      const ofType = this.written.get(remote.recordType) ?? new Set<string>();
      this.written.set(remote.recordType, ofType.add(uuid));
    }
    return this.build({ original_source_uuid: origin, original_sequence_no: txn.seq, creator: txn.author, created: txn.created, is_nullification: false, is_resolution: false, changes }, position, book);
  }

  /** An empty changeset at `seq`: the record was read that far (its transactions were ours or unmappable). It moves the merge ticket and writes nothing. */
  marker(origin: string, originPath: string, seq: number, created: string, position: number): ChangesetEntry {
    return this.build({ original_source_uuid: origin, original_sequence_no: seq, creator: null, created, is_nullification: false, is_resolution: false, changes: {} }, position, { [keys.origin(origin)]: originPath });
  }

  private change(uuid: string, remote: RemoteChange, id: string, book: Record<string, string>): Change | undefined {
    const state = this.state(uuid);
    const prop_changes: Record<string, PropChange> = {};
    for (const [name, value] of Object.entries(remote.props)) {
      const next = value === '' ? null : value;
      const old = state[name] ?? null;
      if (next === old && remote.changeType !== 'add') continue;
      prop_changes[name] = { old_value: old, new_value: next, pred: this.preds(uuid, name, remote) };
      if (next === null) delete state[name];
      else state[name] = next;
      this.heads.set(`${uuid}:${name}`, id);
      book[keys.head(uuid, name)] = id;
    }
    if (remote.changeType === 'update' && !Object.keys(prop_changes).length) return undefined;
    const existence = this.preds(uuid, EXISTENCE, remote);
    this.heads.set(`${uuid}:${EXISTENCE}`, id);
    book[keys.head(uuid, EXISTENCE)] = id;
    return { record_type: remote.recordType, change_type: remote.changeType, pred: existence, prop_changes };
  }

  /**
   * What a remote write follows: the last write the remote held. A record
   * whose uuid the app fixes (a setting every replica starts with) has had
   * no remote write yet on its first pull: the tracker's value then follows
   * the local one instead of conflicting with the replica's default.
   */
  private preds(uuid: string, name: string, remote: RemoteChange): string[] {
    const head = this.head(uuid, name);
    if (head) return [head];
    return remote.uuid ? this.book.local.heads(uuid, name).map((h) => h.id) : [];
  }

  private build(content: ChangesetContent, position: number, values: Record<string, string>): ChangesetEntry {
    return {
      sequence_no: position,
      original_source_uuid: content.original_source_uuid,
      original_sequence_no: content.original_sequence_no,
      hash: hashChangeset(content),
      body: serializeChangeset(content),
      bookkeeping: { namespace: this.book.namespace, values },
    };
  }
}
