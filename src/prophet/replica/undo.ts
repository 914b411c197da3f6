import { ProphetError } from '../model/errors.js';
import type { Changeset } from '../model/types.js';
import { KEY_TYPE } from './key-record.js';
import { storeOf, type Replica } from './replica.js';

/**
 * Undoes changeset `seq` with a new changeset that reverses it. Refused
 * when a later change would be overwritten, that is when a value it wrote
 * is no longer the value shown, unless `force`. Comparing values rather
 * than writes lets a user undo a run of changesets newest first.
 */
export function undo(replica: Replica, seq: number, opts: { force?: boolean } = {}): Changeset | undefined {
  const target = replica.changeset(seq);
  if (!target) throw new ProphetError(`there is no changeset ${seq} (the log ends at ${replica.latestSequenceNo()})`, 'not-found');
  if (target.is_nullification) {
    throw new ProphetError(`changeset ${seq} is a nullification: it records a conflict and changed no data, so there is nothing to undo`);
  }
  const later: string[] = [];
  return replica.edit((e) => {
    for (const [uuid, change] of Object.entries(target.changes)) {
      // A key announced with the change stays: undoing your first edit does not take back your key.
      if (change.record_type === KEY_TYPE) continue;
      const row = storeOf(replica).recordByUuid(uuid)!;
      const label = `${change.record_type} ${uuid}`;
      const reverse: Record<string, string | null> = {};
      for (const [name, pc] of Object.entries(change.prop_changes)) {
        const shown = e.current(uuid)?.[name] ?? row.props[name] ?? null;
        if (shown !== (pc.new_value || null)) later.push(`'${name}' of ${label} was changed again later`);
        reverse[name] = pc.old_value;
      }
      const live = e.current(uuid) !== undefined;
      if (change.change_type === 'delete' && live) later.push(`${label} was restored later`);
      if (change.change_type !== 'delete' && !live) later.push(`${label} was deleted later`);
      if (later.length && !opts.force) continue;
      if (change.change_type === 'add') {
        if (live) e.delete(change.record_type, uuid);
      } else {
        if (change.change_type === 'delete' && !live) e.restore(change.record_type, uuid);
        if (e.current(uuid) && Object.keys(reverse).length) e.update(change.record_type, uuid, reverse, { raw: true });
      }
    }
    if (later.length && !opts.force) {
      throw new ProphetError(`cannot undo changeset ${seq}: ${later[0]}${later.length > 1 ? ` (and ${later.length - 1} more)` : ''}; use --force to overwrite`, 'conflict');
    }
  });
}
