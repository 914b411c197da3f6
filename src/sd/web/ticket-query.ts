import { searchPage } from '../../prophet/index.js';
import type { Criterion, OrderKey, Replica, SearchQuery } from '../../prophet/index.js';
import { groupTickets, type TicketGroup } from '../cli/list-order.js';
import { TICKET } from '../model/record-types.js';
import { readSdSettings } from '../model/settings.js';

export const PAGE_SIZE = 50;
/** The properties a list can be filtered on with a menu (any other `?prop=` works too). */
export const FILTERS = ['status', 'milestone', 'component', 'owner', 'reporter'] as const;
export const SORTS = ['id', 'summary', 'status', 'milestone', 'component', 'owner', 'reporter', 'due', 'created'] as const;
export const GROUPS = ['', 'status', 'milestone', 'component', 'owner'] as const;
/** `status=*`: every ticket, not only the active ones. */
export const ANY = '*';

/** A ticket list as its URL asks for it. */
export interface ListQuery {
  filters: Record<string, string>;
  q: string;
  sort: string;
  desc: boolean;
  group: string;
  page: number;
}

const NAME = /^[a-z_][a-z0-9_.-]*$/i;
const RESERVED = new Set(['q', 'sort', 'desc', 'group', 'page']);

/** Reads a list's URL parameters; unknown shapes are dropped rather than refused, as a browser may send anything. */
export function parseListQuery(params: Record<string, unknown>): ListQuery {
  const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
  const filters: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (!RESERVED.has(key) && NAME.test(key) && text(value) !== '') filters[key] = text(value);
  const page = Number.parseInt(text(params.page), 10);
  return {
    filters,
    q: text(params.q).trim(),
    sort: text(params.sort) || 'id',
    desc: text(params.desc) === '1',
    group: text(params.group),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The query as URL parameters again, with some changed (links to other pages, sorts, groups). */
export function listParams(query: ListQuery, change: Partial<Omit<ListQuery, 'filters'>> = {}): Record<string, string> {
  const q = { ...query, ...change };
  return {
    ...q.filters,
    q: q.q,
    sort: q.sort === 'id' ? '' : q.sort,
    desc: q.desc ? '1' : '',
    group: q.group,
    page: q.page > 1 ? String(q.page) : '',
  };
}

/**
 * The search box: for now the existing regular-expression search over
 * every property, as `sd ticket search --regex`. The one place to switch
 * to the query language when it lands.
 */
export function searchBoxQuery(q: string, criteria: Criterion[]): SearchQuery {
  return { criteria, regex: q };
}

/**
 * The search a list runs. Without a status filter it lists active tickets
 * (the status menu's first choice, as the original's milestone and
 * component pages), with `status=*` every ticket; the search box looks at
 * every ticket.
 */
function listSearch(replica: Replica, query: ListQuery): SearchQuery {
  const criteria: Criterion[] = Object.entries(query.filters)
    .filter(([prop, value]) => !(prop === 'status' && value === ANY))
    .map(([prop, value]) => ({ prop, cmp: '=', value: value === 'none' ? '' : value }));
  if (query.q) return searchBoxQuery(query.q, criteria);
  if (query.filters.status === undefined) criteria.push(...readSdSettings(replica).activeStatuses.map((value) => ({ prop: 'status', cmp: '=' as const, value })));
  return { criteria };
}

export interface ListResult {
  total: number;
  pages: number;
  page: number;
  groups: TicketGroup[];
}

/** The order of a list: its group (in the settings' order) first, then the sort property, as the CLI orders them. */
function listOrder(replica: Replica, query: ListQuery): OrderKey[] {
  const s = readSdSettings(replica);
  const keys: OrderKey[] = [];
  if (query.group) {
    const rank = query.group === 'milestone' ? s.milestones : query.group === 'status' ? s.statuses : query.group === 'component' ? s.components : [];
    keys.push({ name: query.group, rank });
  }
  if (query.sort !== 'id') keys.push({ name: query.sort, missingLast: replica.config.get(`ticket.${query.sort}.sort-undef-last`) === 'true' });
  return keys;
}

/** One page of a ticket list; only that page's tickets are loaded. */
export function listTickets(replica: Replica, query: ListQuery): ListResult {
  const search = listSearch(replica, query);
  const order = listOrder(replica, query);
  const run = (page: number) => searchPage(replica, TICKET, search, { order, descending: query.desc, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  let page = query.page;
  let found = run(page);
  const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
  // A page past the end (the list shrank since the link was made) shows the last one.
  if (page > pages) {
    page = pages;
    found = run(page);
  }
  const groups = query.group ? groupTickets(found.records, query.group) : [{ label: '', tickets: found.records }];
  return { total: found.total, pages, page, groups };
}
