import type { Count, Overview } from '../overview.js';
import type { PageContext } from './layout.js';
import { TicketTable } from './lists.js';

function CountBox({ ctx, title, prop, counts, total }: { ctx: PageContext; title: string; prop: string; counts: Count[]; total: number }) {
  return (
    <section class="box">
      <h2>{title}</h2>
      <table class="counts">
        {counts.map((c) => (
          <tr>
            <td><a href={ctx.links.list({ [prop]: c.value })}>{c.value}</a></td>
            <td class="num">{c.count}</td>
            <td class="bar"><meter value={c.count} min={0} max={Math.max(total, 1)} /></td>
          </tr>
        ))}
      </table>
    </section>
  );
}

export function OverviewPage({ ctx, o }: { ctx: PageContext; o: Overview }) {
  return (
    <div class="overview">
      <aside>
        <CountBox ctx={ctx} title={`Statuses (all ${o.total} tickets)`} prop="status" counts={o.statuses} total={o.total} />
        <CountBox ctx={ctx} title={`Milestones (${o.activeTotal} active)`} prop="milestone" counts={o.milestones} total={o.activeTotal} />
        <CountBox ctx={ctx} title="Components (active)" prop="component" counts={o.components} total={o.activeTotal} />
      </aside>
      <section class="mine">
        <h2>{`Your active tickets${o.defaultMilestone ? ` for ${o.defaultMilestone}` : ''}`}</h2>
        <p class="hint">{o.me ? `Owned by ${o.me} or by no one.` : 'Unowned (set user.email-address to see your own).'}</p>
        {o.mine.length ? <TicketTable ctx={ctx} tickets={o.mine} /> : <p class="empty">Nothing to do.</p>}
      </section>
    </div>
  );
}
