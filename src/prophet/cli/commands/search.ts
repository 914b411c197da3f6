import { runQuery } from '../../replica/query.js';
import { criteriaConditions } from '../../replica/search.js';
import type { Command } from '../command.js';
import { recordJson } from '../format.js';
import { commandQuery, QUERY_OPTIONS } from '../query-args.js';
import { formatRecordLine, summaryFormatFor } from '../summary-format.js';

export const searchCommand: Command = {
  names: ['search', 'list', 'ls'],
  summary: 'List the records of a type matching a query (docs/search.md) or criteria',
  usage: [
    'search --type TYPE [QUERY...] [--query QUERY] [--saved NAME] [--save NAME]   (QUERY: words "a phrase" prop:a,b -prop:x due:<2027-01-01 summary~/re/ sort:-created limit:10)',
    'search --type TYPE [--regex RE] [-- NAME CMP VALUE ...]   (CMP: = != <> ne =~ !~)',
  ],
  options: { values: ['type', 'regex', ...QUERY_OPTIONS] },
  takesQuery: true,
  takesProps: true,
  run(ctx) {
    const type = ctx.recordType();
    const query = commandQuery(ctx);
    const replica = ctx.replica();
    const { records } = runQuery(replica, type, query, { conditions: criteriaConditions({ criteria: ctx.props ?? [], regex: ctx.option('regex') }) });
    if (ctx.json) {
      ctx.printJson(records.map(recordJson));
      return;
    }
    const format = summaryFormatFor(replica.config, type, ctx.app.summaryFormats?.[type]);
    for (const r of records) ctx.out(formatRecordLine(r, format, ctx.colors));
    if (records.length === 0 && ctx.isTTY) ctx.err(`No ${type} records found.`);
  },
};
