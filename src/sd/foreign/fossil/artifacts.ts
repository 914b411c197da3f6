/**
 * Fossil's ticket change artifacts, read and written. A ticket's history
 * is a list of control artifacts, each with its time (D card), the fields
 * it sets (J cards, `+name` appends), the ticket (K) and the user (U):
 * one artifact is one remote transaction. Values are "fossilized": space,
 * newline and the like escaped with a backslash. Pure.
 */

export interface TicketField {
  name: string;
  value: string;
  /** `J +icomment ...`: appended to the field rather than replacing it. */
  append: boolean;
}

export interface TicketChange {
  /** The artifact's row id in the repository read: increasing in the order artifacts arrived. */
  rid: number;
  /** The artifact's hash: the name of what it adds (a comment). */
  hash: string;
  /** The ticket's full uuid. */
  ticket: string;
  /** ISO 8601, UTC, from the D card. */
  time: string;
  user: string | null;
  fields: TicketField[];
}

const DECODE: Record<string, string> = { s: ' ', n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', '0': '\0', '\\': '\\' };
const ENCODE: Record<string, string> = Object.fromEntries(Object.entries(DECODE).map(([k, v]) => [v, `\\${k}`]));

export function defossilize(text: string): string {
  return text.replace(/\\(.)/gs, (_, c: string) => DECODE[c] ?? c);
}

/** A value for `fossil ticket set --quote`: every character fossil would split or trim on, escaped. */
export function fossilize(text: string): string {
  return text.replace(/[ \n\t\r\v\f\0\\]/g, (c) => ENCODE[c]!);
}

/** One artifact's text as a ticket change; undefined for an artifact that changes no ticket (an attachment). */
export function parseTicketChange(rid: number, hash: string, body: string): TicketChange | undefined {
  let ticket: string | undefined;
  let time = '';
  let user: string | null = null;
  const fields: TicketField[] = [];
  for (const line of body.split('\n')) {
    const card = line.slice(0, 2);
    const rest = line.slice(2);
    if (card === 'D ') time = `${rest}${rest.endsWith('Z') ? '' : 'Z'}`;
    else if (card === 'K ') ticket = rest;
    else if (card === 'U ') user = defossilize(rest);
    else if (card === 'J ') {
      const space = rest.indexOf(' ');
      const rawName = space < 0 ? rest : rest.slice(0, space);
      const append = rawName.startsWith('+');
      fields.push({ name: append ? rawName.slice(1) : rawName, value: space < 0 ? '' : defossilize(rest.slice(space + 1)), append });
    }
  }
  return ticket === undefined ? undefined : { rid, hash, ticket, time, user, fields };
}
