import type { ConflictReport } from '../../../prophet/index.js';
import { showTime } from '../../../prophet/index.js';
import { PostForm, type PageContext } from './layout.js';
import { ChangesetHeading, type HistoryRow } from './ticket.js';

export interface LogEntry extends HistoryRow {
  /** Each record the changeset touched: its type, local id (when it still exists here) and summary. */
  records: Array<{ uuid: string; type: string; luid?: number; label: string }>;
}

export function LogPage({ ctx, entries, page, pages }: { ctx: PageContext; entries: LogEntry[]; page: number; pages: number }) {
  return (
    <div>
      <ol class="history log">
        {entries.map((e) => (
          <li>
            <ChangesetHeading row={e} prefix={`#${e.changeset.sequence_no} `} />
            <ul>
              {e.records.map((r) => {
                const change = e.changeset.changes[r.uuid]!;
                const what = Object.entries(change.prop_changes).map(([n, pc]) => (pc.new_value === null ? `${n} deleted` : `${n}: ${pc.new_value}`));
                return (
                  <li>
                    {`${change.change_type} ${r.type} `}
                    {r.type === 'ticket' && r.luid !== undefined ? <a href={ctx.links.ticket(r.luid)}>{`${r.luid} ${r.label}`}</a> : <span>{r.label}</span>}
                    <span class="changes">{what.length ? ` — ${what.join('; ')}` : ''}</span>
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ol>
      <p class="pager">
        {page > 1 && <a href={ctx.links.history(page - 1)}>‹ later</a>} <span>{`page ${page} of ${pages}`}</span> {page < pages && <a href={ctx.links.history(page + 1)}>earlier ›</a>}
      </p>
    </div>
  );
}

export interface ConflictRow {
  report: ConflictReport;
  /** The ticket's local id when the record is a live ticket. */
  ticketLuid?: number;
  /** The value the record holds now (null: unset or deleted). */
  current: string | null;
  /** Values a user may choose instead; empty when the record is gone or the conflict is about its existence. */
  alternatives: string[];
}

const shown = (v: string | null) => (v === null ? '(unset)' : v);

export function ConflictsPage({ ctx, rows }: { ctx: PageContext; rows: ConflictRow[] }) {
  if (!rows.length) return <p class="empty">No conflicts: every merge so far went without one.</p>;
  return (
    <table class="conflicts">
      <thead>
        <tr><th>when</th><th>record</th><th>property</th><th>values</th><th>kept</th><th>how</th><th>now</th>{ctx.csrf && <th>override</th>}</tr>
      </thead>
      <tbody>
        {rows.map(({ report: c, ticketLuid, current, alternatives }) => (
          <tr>
            <td>{showTime(c.at)}</td>
            <td>{ticketLuid !== undefined ? <a href={ctx.links.ticket(ticketLuid)}>{`ticket ${ticketLuid}`}</a> : `${c.record_type} ${c.record_uuid.slice(0, 8)}`}</td>
            <td>{c.name === '' ? '(existence)' : c.name}</td>
            <td>{c.name === '' ? 'live vs deleted' : c.candidates.map(shown).join(' vs ')}</td>
            <td>{c.name === '' ? (c.chosen === null ? 'deleted' : 'live') : shown(c.chosen)}</td>
            <td>{`${c.how}${c.decidedBy.length ? ` by ${c.decidedBy.join(', ')}` : ''}; from ${c.source}`}</td>
            <td>{shown(current)}</td>
            {ctx.csrf && (
              <td>
                {alternatives.map((value) => (
                  <PostForm ctx={ctx} action={ctx.links.live!.conflicts} class="inline">
                    <input type="hidden" name="uuid" value={c.record_uuid} />
                    <input type="hidden" name="prop" value={c.name} />
                    <input type="hidden" name="value" value={value} />
                    <button type="submit">{`use ${value}`}</button>
                  </PostForm>
                ))}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SyncPage({ ctx, names, message }: { ctx: PageContext; names: Array<{ name: string; url: string }>; message?: string }) {
  return (
    <div>
      {message && <p class="notice">{message}</p>}
      {!names.length && <p class="empty">No replicas configured: add one with `sd config replica.NAME.url URL`, or pull once by URL from the command line.</p>}
      <table>
        {names.map((n) => (
          <tr>
            <th>{n.name}</th>
            <td>{n.url}</td>
            {ctx.csrf && (
              <td>
                <PostForm ctx={ctx} action={ctx.links.live!.sync} class="inline">
                  <input type="hidden" name="name" value={n.name} />
                  <label>
                    {'on a conflict nothing decided before, keep '}
                    <select name="keep">
                      <option value="mine">this replica's value</option>
                      <option value="theirs">{`${n.name}'s value`}</option>
                    </select>
                  </label>{' '}
                  <button type="submit" name="direction" value="pull">Pull</button>
                  <button type="submit" name="direction" value="push">Push</button>
                </PostForm>
              </td>
            )}
          </tr>
        ))}
      </table>
    </div>
  );
}

export function LoginPage({ ctx, failed }: { ctx: PageContext; failed: boolean }) {
  return (
    <div>
      {failed && <p class="errors" role="alert">That token is not valid (revoked, mistyped, or never issued).</p>}
      <p>This server asks for a token. The owner creates one with <code>sd server token create --scope read,write</code>.</p>
      <PostForm ctx={ctx} action={ctx.links.live!.login}>
        <input type="password" name="token" autocomplete="off" aria-label="Token" required size={50} /> <button type="submit">Log in</button>
      </PostForm>
    </div>
  );
}

export function MessagePage({ message, back }: { message: string; back?: string }) {
  return (
    <div>
      <p class="errors" role="alert">{message}</p>
      {back && <p><a href={back}>Back</a></p>}
    </div>
  );
}
