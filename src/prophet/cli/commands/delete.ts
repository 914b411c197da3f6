import type { Command } from '../command.js';

export const deleteCommand: Command = {
  names: ['delete', 'del', 'rm'],
  summary: 'Delete a record (its history stays; undo brings it back)',
  usage: ['delete ID [--type TYPE]'],
  options: { values: ['type', 'id', 'uuid', 'luid'] },
  run(ctx) {
    const id = ctx.recordId();
    const replica = ctx.replica();
    const record = replica.get(id, ctx.givenRecordType());
    ctx.refuseInternalType(record.type);
    replica.delete(record.type, record.uuid);
    if (ctx.json) ctx.printJson({ type: record.type, luid: record.luid, uuid: record.uuid, deleted: true });
    else ctx.out(`${record.type} ${record.luid} (${record.uuid}) deleted.`);
  },
};
