import { createRequire } from 'node:module';

type Chrono = typeof import('chrono-node');

/**
 * chrono-node costs tens of milliseconds to load, and only a `due` value
 * typed in words needs it; record hooks are synchronous, so it is required
 * on first use rather than imported.
 */
let chrono: Chrono | undefined;
function loadChrono(): Chrono {
  chrono ??= createRequire(import.meta.url)('chrono-node') as Chrono;
  return chrono;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** SD's stored time form: UTC `YYYY-MM-DD HH:MM:SS`, sortable as text and readable. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Milliseconds since the epoch of a stored time (SD's form, or the ISO form changesets use). */
export function timeValue(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)/.exec(text);
  if (m && !/[zZ+]|[+-]\d{2}:?\d{2}$/.test(text.slice(m[0].length))) return Date.parse(`${m[1]}T${m[2]}Z`);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? 0 : parsed;
}

/** A stored time as shown to people: SD's form whatever it was stored as. */
export function displayTime(text: string): string {
  const ms = timeValue(text);
  return ms ? timestamp(new Date(ms)) : text;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/;

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A due date from what a person typed ("next friday", "in 3 days",
 * "2026-03-01"): an ISO date, with the time only when one was given.
 * Returns undefined when the text is not a date.
 */
export function parseDue(text: string, now: Date = new Date()): string | undefined {
  const t = text.trim();
  if (ISO_DATE.test(t)) return Number.isNaN(Date.parse(t)) ? undefined : t;
  if (ISO_DATE_TIME.test(t)) return t.replace('T', ' ');
  const [result] = loadChrono().parse(t, now, { forwardDate: true });
  if (!result) return undefined;
  const d = result.start.date();
  if (!result.start.isCertain('hour')) return localDate(d);
  return `${localDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Whether a stored due value has the canonical form `parseDue` produces. */
export function isCanonicalDue(value: string): boolean {
  return ISO_DATE.test(value) || /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value);
}
