import { ProphetError } from '../../model/errors.js';
import type { RecordState } from '../../model/types.js';
import { recordAsOf } from '../../replica/history.js';
import type { Command } from '../command.js';
import { propertyLines, recordJson } from '../format.js';

export const showCommand: Command = {
  names: ['show', 'display'],
  summary: 'Show a record, now or as it was after a changeset',
  usage: ['show ID [--type TYPE] [--as-of N]'],
  options: { values: ['type', 'id', 'uuid', 'luid', 'as-of'] },
  run(ctx) {
    const id = ctx.recordId();
    const type = ctx.givenRecordType();
    const asOf = ctx.intOption('as-of');
    const replica = ctx.replica();
    const row = replica.resolve(id, type, { includeDeleted: asOf !== undefined });
    let record: RecordState = { luid: row.luid, uuid: row.uuid, type: row.type, props: row.props };
    if (asOf !== undefined) {
      const latest = replica.latestSequenceNo();
      if (asOf > latest) throw new ProphetError(`there is no changeset ${asOf} (the log ends at ${latest})`, 'not-found');
      const then = recordAsOf(replica, row.uuid, asOf);
      if (!then.live) throw new ProphetError(`${row.type} ${row.luid} did not exist after changeset ${asOf}; 'history ${row.luid}' lists its changesets`, 'not-found');
      record = { ...record, props: then.props };
    }
    const conflicts = asOf === undefined ? replica.conflictedProperties(row.uuid) : [];
    if (ctx.json) {
      ctx.printJson({ ...recordJson(record), ...(asOf !== undefined ? { as_of: asOf } : {}), conflicts });
      return;
    }
    const c = ctx.colors;
    ctx.out(`id: ${record.luid} (${record.uuid})${asOf !== undefined ? ` as of changeset ${asOf}` : ''}`);
    for (const line of propertyLines(record.props)) {
      const name = line.slice(0, line.indexOf(':'));
      ctx.out(conflicts.includes(name) ? `${line} ${c.red('(conflict)')}` : line);
    }
  },
};
