import { search } from '../../replica/search.js';
import type { Command } from '../command.js';
import { recordJson } from '../format.js';
import { formatRecordLine, summaryFormatFor } from '../summary-format.js';

export const searchCommand: Command = {
  names: ['search', 'list', 'ls'],
  summary: 'List the records of a type matching criteria',
  usage: ['search --type TYPE [--regex RE] [-- NAME CMP VALUE ...]   (CMP: = != <> ne =~ !~)'],
  options: { values: ['type', 'regex'] },
  takesProps: true,
  run(ctx) {
    ctx.noMoreWords();
    const type = ctx.recordType();
    const replica = ctx.replica();
    const records = search(replica, type, { criteria: ctx.props ?? [], regex: ctx.option('regex') });
    if (ctx.json) {
      ctx.printJson(records.map(recordJson));
      return;
    }
    const format = summaryFormatFor(replica.config, type, ctx.app.summaryFormats?.[type]);
    for (const r of records) ctx.out(formatRecordLine(r, format, ctx.colors));
    if (records.length === 0 && ctx.isTTY) ctx.err(`No ${type} records found.`);
  },
};
