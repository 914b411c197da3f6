import type { Changeset, RecordState } from '../../../prophet/index.js';
import { attachmentSummary } from '../../model/attachments.js';
import { showTime } from '../../../prophet/index.js';
import { PostForm, type PageContext } from './layout.js';

export interface HistoryRow {
  changeset: Changeset;
  /** Where it was made: `5@laptop`, the replica's configured name when known. */
  origin: string;
  /** It came from another replica by sync. */
  synced: boolean;
  /** What its signature is worth: `verified`, `unsigned`... */
  signature: string;
}

export interface TicketView {
  ticket: RecordState;
  fields: Array<[string, string]>;
  conflicts: Array<{ prop: string; values: string[] }>;
  comments: RecordState[];
  attachments: RecordState[];
  history: HistoryRow[];
}

/** Attachments a browser may show inline as images; anything else (SVG included: it can carry scripts) is a download. */
export const PREVIEWED_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function Change({ name, from, to }: { name: string; from: string | null; to: string | null }) {
  if (from === null) return <li><b>{name}</b> set to <q>{to}</q></li>;
  if (to === null) return <li><b>{name}</b> <q>{from}</q> deleted</li>;
  return <li><b>{name}</b> changed from <q>{from}</q> to <q>{to}</q></li>;
}

/** Who made a changeset, when, where, and what kind it is: in a ticket's history and the global log. */
export function ChangesetHeading({ row, prefix = '' }: { row: HistoryRow; prefix?: string }) {
  return (
    <p class="who">
      {`${prefix}${row.changeset.creator ?? '(unknown)'} at ${showTime(row.changeset.created)} `}
      <span class="origin">{`(${row.origin})`}</span>
      {row.synced && <span class="tag sync">via sync</span>}
      {row.changeset.is_resolution && <span class="tag resolution">conflict resolution</span>}
      {row.changeset.is_nullification && <span class="tag conflict">conflict: nullification</span>}
      <span class="tag sig">{row.signature}</span>
    </p>
  );
}

function History({ view }: { view: TicketView }) {
  return (
    <ol class="history">
      {view.history.map((h) => {
        const change = h.changeset.changes[view.ticket.uuid]!;
        return (
          <li>
            <ChangesetHeading row={h} />
            <ul>
              {change.change_type === 'add' && <li>created</li>}
              {change.change_type === 'delete' && <li>deleted</li>}
              {Object.keys(change.prop_changes)
                .sort()
                .map((name) => {
                  const pc = change.prop_changes[name]!;
                  return <Change name={name} from={pc.old_value} to={pc.new_value} />;
                })}
            </ul>
          </li>
        );
      })}
    </ol>
  );
}

function QuickActions({ ctx, ticket }: { ctx: PageContext; ticket: RecordState }) {
  const live = ctx.links.live!;
  return (
    <div class="actions">
      <a class="button" href={live.edit(ticket.luid)}>Edit</a>
      <PostForm ctx={ctx} action={live.action(ticket.luid, 'quick')} class="inline">
        <button type="submit" name="do" value="resolve">Resolve</button>
        <button type="submit" name="do" value="claim">Claim</button>
      </PostForm>
      <PostForm ctx={ctx} action={live.action(ticket.luid, 'quick')} class="inline">
        <input type="email" name="owner" placeholder="someone@example.com" aria-label="New owner" required />
        <button type="submit" name="do" value="assign">Assign</button>
      </PostForm>
    </div>
  );
}

export function TicketPage({ ctx, view }: { ctx: PageContext; view: TicketView }) {
  const { ticket } = view;
  const live = ctx.links.live;
  const writable = !!(live && ctx.csrf);
  return (
    <div class="ticket">
      {writable && <QuickActions ctx={ctx} ticket={ticket} />}
      <table class="props">
        {view.fields
          .filter(([name]) => name !== 'summary' && name !== 'description')
          .map(([name, value]) => (
            <tr>
              <th>{name}</th>
              <td class={name === 'status' ? `status status-${value}` : undefined}>{value}</td>
            </tr>
          ))}
      </table>
      {view.conflicts.length > 0 && (
        <section class="conflicts">
          <h2>Unresolved conflicts</h2>
          <ul>{view.conflicts.map((c) => <li><b>{c.prop}</b>{`: ${c.values.join(' | ')}`}</li>)}</ul>
        </section>
      )}
      {ticket.props.description && (
        <section>
          <h2>Description</h2>
          <div class="text">{ticket.props.description}</div>
        </section>
      )}
      <section>
        <h2>{`Attachments (${view.attachments.length})`}</h2>
        <ul class="attachments">
          {view.attachments.map((a) => {
            const s = attachmentSummary(a.props);
            return (
              <li>
                <a href={ctx.links.attachment(a.luid)} download={s.name ?? 'attachment'}>{s.name ?? '(no name)'}</a>
                {` ${s.content_type ?? 'unknown type'}, ${s.size} bytes`}
                {live && PREVIEWED_IMAGES.has(s.content_type ?? '') && <img class="preview" src={ctx.links.attachment(a.luid, true)} alt={s.name ?? ''} />}
              </li>
            );
          })}
        </ul>
        {writable && (
          <PostForm ctx={ctx} action={live.action(ticket.luid, 'attach')} multipart>
            <input type="file" name="file" required aria-label="File to attach" /> <button type="submit">Attach</button>
          </PostForm>
        )}
      </section>
      <section>
        <h2>{`Comments (${view.comments.length})`}</h2>
        {view.comments.map((c) => (
          <article class="comment">
            <p class="who">{`${c.props.creator ?? '(unknown)'} at ${showTime(c.props.created ?? '')}`}</p>
            <div class="text">{c.props.content ?? ''}</div>
          </article>
        ))}
        {writable && (
          <PostForm ctx={ctx} action={live.action(ticket.luid, 'comment')}>
            <textarea name="content" rows={5} required aria-label="Comment" />
            <p><button type="submit">Comment</button></p>
          </PostForm>
        )}
      </section>
      <section>
        <h2>History</h2>
        <History view={view} />
      </section>
    </div>
  );
}
