import { ProphetError } from '../../model/errors.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { recordJson } from '../format.js';
import { parseRecordTemplate, recordTemplate, templateChanges } from '../record-template.js';

/** The editor starts from the record with any `--` properties applied; the result is compared with the record. */
function changesFromEditor(ctx: Context, label: string, current: Record<string, string>, given: Record<string, string>): Record<string, string> {
  const template = recordTemplate(`Editing ${label}`, { ...current, ...given });
  const edited = ctx.editText(template, `${label.replace(' ', '-')}.txt`);
  if (edited === template) throw new ProphetError('Aborted: the text was not changed, so nothing was updated', 'aborted');
  return templateChanges(current, parseRecordTemplate(edited));
}

export const updateCommand: Command = {
  names: ['update', 'edit'],
  summary: "Change a record's properties (an empty value deletes one)",
  usage: ['update ID [--type TYPE] -- NAME=VALUE ...', 'update ID [--type TYPE] --edit'],
  options: { flags: ['edit'], values: ['type', 'id', 'uuid', 'luid'], short: { e: 'edit' } },
  takesProps: true,
  run(ctx) {
    const id = ctx.recordId();
    const replica = ctx.replica();
    const record = replica.get(id, ctx.givenRecordType());
    ctx.refuseInternalType(record.type);
    const label = `${record.type} ${record.luid}`;
    let changes = ctx.propsToSet();
    if (ctx.flag('edit')) {
      replica.requireIdentity();
      changes = changesFromEditor(ctx, label, record.props, changes);
    } else if (Object.keys(changes).length === 0) {
      throw new UsageError(`nothing to change: give properties after '--' (e.g. -- status=open) or use --edit`);
    }
    const changed = Object.keys(changes).length > 0 && replica.update(record.type, record.uuid, changes);
    const after = replica.get(record.uuid, record.type);
    if (ctx.json) ctx.printJson({ ...recordJson(after), changed });
    else ctx.out(changed ? `${label} (${record.uuid}) updated.` : 'No properties changed.');
  },
};
