import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { recordJson } from '../format.js';
import { parseRecordTemplate, recordTemplate } from '../record-template.js';
import { ProphetError } from '../../model/errors.js';

/** The properties to create with: from `--` arguments, or from the editor when --edit is given. */
function propsFromEditor(ctx: Context, type: string, given: Record<string, string>): Record<string, string> {
  const template = recordTemplate(`A new ${type}`, given);
  const edited = ctx.editText(template, `new-${type}.txt`);
  if (edited === template) throw new ProphetError('Aborted: the text was not changed, so nothing was created', 'aborted');
  return parseRecordTemplate(edited);
}

export const createCommand: Command = {
  names: ['create', 'new'],
  summary: 'Create a record',
  usage: ['create --type TYPE [--edit] -- NAME=VALUE ...'],
  options: { flags: ['edit'], values: ['type'], short: { e: 'edit' } },
  takesProps: true,
  run(ctx) {
    ctx.noMoreWords();
    const type = ctx.recordType();
    ctx.refuseInternalType(type);
    let props = ctx.propsToSet();
    const replica = ctx.replica();
    replica.requireIdentity();
    if (ctx.flag('edit')) props = propsFromEditor(ctx, type, props);
    const { uuid } = replica.create(type, props);
    const record = replica.get(uuid, type);
    if (ctx.json) ctx.printJson(recordJson(record));
    else ctx.out(`Created ${type} ${record.luid} (${record.uuid})`);
  },
};
