import { ProphetError } from '../model/errors.js';
import type { Changeset } from '../model/types.js';
import { EXISTENCE } from '../store/store.js';
import type { Replica } from './replica.js';

/**
 * Undoes changeset `seq` with a new changeset that reverses it. Refused
 * when a later change would be overwritten (a property or record written
 * again since), unless `force`.
 */
export function undo(replica: Replica, seq: number, opts: { force?: boolean } = {}): Changeset | undefined {
  const target = replica.changeset(seq);
  if (!target) throw new ProphetError(`there is no changeset ${seq} (the log ends at ${replica.latestSequenceNo()})`, 'not-found');
  if (target.is_nullification) {
    throw new ProphetError(`changeset ${seq} is a nullification: it records a conflict and changed no data, so there is nothing to undo`);
  }
  const targetId = replica.changesetGlobalId(seq)!;
  const later: string[] = [];
  const isLatestWrite = (luid: number, name: string) => {
    const heads = replica.store.heads(luid, name);
    return heads.length === 1 && replica.changesetGlobalId(heads[0]!.seq) === targetId;
  };
  return replica.edit((e) => {
    for (const [uuid, change] of Object.entries(target.changes)) {
      const row = replica.store.recordByUuid(uuid)!;
      if (change.change_type !== 'update' && !isLatestWrite(row.luid, EXISTENCE)) {
        later.push(`${change.record_type} ${uuid} was ${row.live ? 'changed' : 'deleted'} again later`);
      }
      const props: Record<string, string | null> = {};
      for (const [name, pc] of Object.entries(change.prop_changes)) {
        if (!isLatestWrite(row.luid, name)) later.push(`'${name}' of ${change.record_type} ${uuid} was changed again later`);
        props[name] = pc.old_value;
      }
      if (later.length && !opts.force) continue;
      if (change.change_type === 'add') {
        if (row.live) e.delete(change.record_type, uuid);
      } else if (change.change_type === 'delete') {
        if (!row.live) e.restore(change.record_type, uuid);
        if (Object.keys(props).length) e.update(change.record_type, uuid, props, { raw: true });
      } else if (row.live) {
        e.update(change.record_type, uuid, props, { raw: true });
      }
    }
    if (later.length && !opts.force) {
      throw new ProphetError(`cannot undo changeset ${seq}: ${later[0]}${later.length > 1 ? ` (and ${later.length - 1} more)` : ''}; use --force to overwrite`, 'conflict');
    }
  });
}
