import { PostForm, type PageContext } from './layout.js';

/** The properties the forms edit, in order; status, milestone and component offer the settings' values. */
export const FORM_FIELDS = ['summary', 'status', 'milestone', 'component', 'owner', 'reporter', 'due', 'tags', 'description'] as const;

export interface TicketFormView {
  /** Absent: a new ticket. */
  luid?: number;
  action: string;
  /** What the fields show: the ticket's values, the defaults, or what was just submitted. */
  values: Record<string, string>;
  /** The values the form started from, sent back so only changed fields are written. */
  original?: Record<string, string>;
  comment: string;
  choices: Record<string, string[]>;
  /** The CLI's messages for what was refused, one per line. */
  errors: string[];
  descriptions: Record<string, string>;
}

function Field({ name, view }: { name: (typeof FORM_FIELDS)[number]; view: TicketFormView }) {
  const value = view.values[name] ?? '';
  const choices = view.choices[name];
  const help = view.descriptions[name];
  const id = `f-${name}`;
  const input =
    name === 'description' ? (
      <textarea id={id} name={name} rows={6}>{value}</textarea>
    ) : (
      <input id={id} type="text" name={name} value={value} list={choices ? `${id}-choices` : undefined} size={name === 'summary' ? 60 : 30} autocomplete="off" />
    );
  return (
    <p class="field">
      <label for={id}>{name}</label>
      {input}
      {choices && (
        <datalist id={`${id}-choices`}>
          {choices.map((c) => <option value={c} />)}
        </datalist>
      )}
      {choices && <span class="hint">{`one of ${choices.join(', ')} (end with ! to use another)`}</span>}
      {help && !choices && <span class="hint">{help}</span>}
      {view.original && <input type="hidden" name={`original-${name}`} value={view.original[name] ?? ''} />}
    </p>
  );
}

export function TicketFormPage({ ctx, view }: { ctx: PageContext; view: TicketFormView }) {
  return (
    <div>
      {view.errors.length > 0 && (
        <div class="errors" role="alert">
          {view.errors.map((e) => <p>{e}</p>)}
        </div>
      )}
      <PostForm ctx={ctx} action={view.action} class="ticket-form">
        {FORM_FIELDS.map((name) => <Field name={name} view={view} />)}
        <p class="field">
          <label for="f-comment">{view.luid === undefined ? 'first comment' : 'add a comment'}</label>
          <textarea id="f-comment" name="comment" rows={4}>{view.comment}</textarea>
        </p>
        <p><button type="submit">{view.luid === undefined ? 'Create ticket' : 'Save'}</button> {view.luid !== undefined && <a href={ctx.links.ticket(view.luid)}>Cancel</a>}</p>
      </PostForm>
    </div>
  );
}
