import type { RecordState } from '../../../prophet/index.js';
import { ANY, FILTERS, GROUPS, listParams, SORTS, type ListQuery, type ListResult } from '../ticket-query.js';
import type { PageContext } from './layout.js';

const COLUMNS = ['status', 'milestone', 'component', 'owner', 'reporter', 'due', 'created'] as const;

export function TicketTable({ ctx, tickets, sortLink }: { ctx: PageContext; tickets: RecordState[]; sortLink?: (prop: string) => string }) {
  const head = (label: string, prop: string) => <th>{sortLink ? <a href={sortLink(prop)}>{label}</a> : label}</th>;
  return (
    <table class="tickets">
      <thead>
        <tr>
          {head('id', 'id')}
          {head('Summary', 'summary')}
          {COLUMNS.map((c) => head(c[0]!.toUpperCase() + c.slice(1), c))}
        </tr>
      </thead>
      <tbody>
        {tickets.map((t) => (
          <tr>
            <td><a href={ctx.links.ticket(t.luid)}>{t.luid}</a></td>
            <td class="summary"><a href={ctx.links.ticket(t.luid)}>{t.props.summary ?? '(no summary)'}</a></td>
            {COLUMNS.map((c) => <td class={c === 'status' ? `status status-${t.props.status ?? ''}` : undefined}>{t.props[c] ?? ''}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ListChoices {
  status: string[];
  milestone: string[];
  component: string[];
}

/** The filter, sort and group form: a GET form, so it works without scripts and its result is a link. */
function ListControls({ ctx, query, choices }: { ctx: PageContext; query: ListQuery; choices: ListChoices }) {
  const options = (values: string[], selected: string) => values.map((v) => <option value={v} selected={v === selected}>{v}</option>);
  return (
    <form class="controls" method="get" action={ctx.links.list()}>
      {FILTERS.map((f) => (
        <label>
          {f}{' '}
          {f in choices ? (
            <select name={f}>
              <option value="">{f === 'status' ? 'active' : 'any'}</option>
              {f === 'status' && <option value={ANY} selected={query.filters.status === ANY}>all</option>}
              {options(choices[f as keyof ListChoices], query.filters[f] ?? '')}
              {f !== 'status' && <option value="none" selected={query.filters[f] === 'none'}>none</option>}
            </select>
          ) : (
            <input type="text" name={f} value={query.filters[f] ?? ''} size={14} />
          )}
        </label>
      ))}
      <label>
        search <input type="search" name="q" value={query.q} size={14} />
      </label>
      <label>
        sort <select name="sort">{options([...SORTS], query.sort)}</select>
      </label>
      <label>
        <input type="checkbox" name="desc" value="1" checked={query.desc} /> descending
      </label>
      <label>
        group <select name="group">{GROUPS.map((g) => <option value={g} selected={g === query.group}>{g || 'none'}</option>)}</select>
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

function Pager({ ctx, query, result }: { ctx: PageContext; query: ListQuery; result: ListResult }) {
  if (result.pages <= 1) return <p class="pager">{`${result.total} ticket${result.total === 1 ? '' : 's'}`}</p>;
  const link = (page: number, label: string) => <a href={ctx.links.list(listParams(query, { page }))}>{label}</a>;
  return (
    <p class="pager">
      {result.page > 1 && link(1, '« first')} {result.page > 1 && link(result.page - 1, '‹ previous')}{' '}
      <span>{`page ${result.page} of ${result.pages} (${result.total} tickets)`}</span>{' '}
      {result.page < result.pages && link(result.page + 1, 'next ›')} {result.page < result.pages && link(result.pages, 'last »')}
    </p>
  );
}

export function TicketListPage({ ctx, query, result, choices }: { ctx: PageContext; query: ListQuery; result: ListResult; choices: ListChoices }) {
  const sortLink = (prop: string) => ctx.links.list(listParams(query, { sort: prop, desc: query.sort === prop && !query.desc, page: 1 }));
  return (
    <div>
      <ListControls ctx={ctx} query={query} choices={choices} />
      <Pager ctx={ctx} query={query} result={result} />
      {result.total === 0 && <p class="empty">No tickets found.</p>}
      {result.groups.map((g) => (
        <section>
          {g.label && <h2>{`${query.group}: ${g.label}`}</h2>}
          <TicketTable ctx={ctx} tickets={g.tickets} sortLink={sortLink} />
        </section>
      ))}
      <Pager ctx={ctx} query={query} result={result} />
    </div>
  );
}
