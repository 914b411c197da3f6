import { history } from '../../replica/history.js';
import { KeyRing } from '../../replica/key-ring.js';
import type { Command } from '../command.js';
import { changeLines, changesetHeader, changesetJson, propChangesJson } from '../format.js';

export const historyCommand: Command = {
  names: ['history'],
  summary: 'List every changeset that touched a record, oldest first',
  usage: ['history ID [--type TYPE]'],
  options: { values: ['type', 'id', 'uuid', 'luid'] },
  run(ctx) {
    const id = ctx.recordId();
    const replica = ctx.replica();
    const record = replica.resolve(id, ctx.givenRecordType(), { includeDeleted: true });
    const entries = history(replica, record.uuid);
    const keys = new KeyRing(replica);
    if (ctx.json) {
      ctx.printJson({
        type: record.type,
        luid: record.luid,
        uuid: record.uuid,
        changesets: entries.map(({ changeset, change }) => ({
          ...changesetJson(changeset, keys.checkStored(changeset)),
          change_type: change.change_type,
          prop_changes: propChangesJson(change),
        })),
      });
      return;
    }
    ctx.out(`History of ${record.type} ${record.luid} (${record.uuid})${record.live ? '' : ', deleted'}:`);
    for (const { changeset, change } of entries) {
      ctx.out('', changesetHeader(changeset, ctx.colors, keys.checkStored(changeset)), ...changeLines(change, ctx.colors).map((l) => `  ${l}`));
    }
  },
};
