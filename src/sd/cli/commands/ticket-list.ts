import { commandQuery, compileSummaryColumns, parseQuery, QUERY_OPTIONS, summaryFormatFor, tableLines } from '../../../prophet/index.js';
import type { Command, Context, RecordState } from '../../../prophet/index.js';
import { readSdSettings } from '../../model/settings.js';
import { findTickets } from '../../model/tickets.js';
import { TICKET } from '../../model/record-types.js';
import { page } from '../interact.js';
import { groupTickets, sortTickets } from '../../model/list-order.js';
import { propsJson } from '../ticket-view.js';

export const DEFAULT_TICKET_FORMAT = '%s,$luid | %s,summary | %s,status';

/** `--sort`/`--group`, else the config default; an empty option keeps the default, `none` turns it off. */
function ordering(ctx: Context, option: string, configKey: string): string | undefined {
  const given = ctx.option(option);
  const value = given === undefined || given === '' ? ctx.replica().config.get(configKey) : given;
  return value === undefined || value === '' || value === 'none' ? undefined : value;
}

function groupOrder(ctx: Context, prop: string): string[] {
  const s = readSdSettings(ctx.replica());
  return prop === 'milestone' ? s.milestones : prop === 'status' ? s.statuses : prop === 'component' ? s.components : [];
}

export const ticketList: Command = {
  names: ['ticket list', 'ticket search', 'ticket ls', 'ticket find'],
  summary: 'List tickets: active ones by default, or those a query finds (sd help search)',
  usage: [
    'ticket search [QUERY...] [--saved NAME] [--save NAME] [-s|--sort PROP|none] [-g|--group PROP|none]   (QUERY: words "a phrase" status:new,open -owner:me is:active has:attachment due:<2027-01-01 created:>=7d summary~/re/ sort:-created limit:20)',
    'ticket list [--regex RE] [-- status=open owner=~alice ...]',
  ],
  options: { values: ['regex', 'sort', 'group', ...QUERY_OPTIONS], short: { s: 'sort', g: 'group' } },
  takesQuery: true,
  takesProps: true,
  run(ctx) {
    const replica = ctx.replica();
    const query = parseQuery(commandQuery(ctx));
    const found = findTickets(replica, { query, criteria: ctx.props ?? [], regex: ctx.option('regex') });
    // The query's order (sort:, or relevance for free words) stands unless --sort is given.
    const queryOrders = query.sort !== undefined || query.terms.some((t) => t.kind === 'text');
    const sortBy = queryOrders && !ctx.option('sort') ? undefined : ordering(ctx, 'sort', 'ticket.default-sort');
    const tickets = queryOrders && sortBy === undefined ? found : sortTickets(found, sortBy, replica.config.get(`ticket.${sortBy}.sort-undef-last`) === 'true');
    const groupBy = ordering(ctx, 'group', 'ticket.default-group');
    const groups = groupBy ? groupTickets(tickets, groupBy, groupOrder(ctx, groupBy)) : [{ label: '', tickets }];
    const json = (t: RecordState) => ({ luid: t.luid, uuid: t.uuid, props: propsJson(t.props) });
    if (ctx.json) {
      ctx.printJson(groupBy ? groups.map((g) => ({ group: g.label, tickets: g.tickets.map(json) })) : tickets.map(json));
      return;
    }
    const { headers, cells } = compileSummaryColumns(summaryFormatFor(replica.config, TICKET, DEFAULT_TICKET_FORMAT)!, ctx.colors);
    const lines: string[] = [];
    for (const g of groups) {
      if (groups.length > 1) lines.push('', g.label, '='.repeat(g.label.length), '');
      // A person gets aligned columns under a header; a script one ticket a line, as before.
      if (ctx.isTTY && g.tickets.length) lines.push(...tableLines(headers, g.tickets.map(cells), ctx.colors.bold));
      else for (const t of g.tickets) lines.push(cells(t).join(' '));
    }
    page(ctx, lines);
    if (tickets.length === 0) ctx.err('No tickets found.');
  },
};
