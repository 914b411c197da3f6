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

/** `YYYY-MM-DD`, optionally with ` HH:MM` or ` HH:MM:SS` (or a `T` between). */
const ISO_SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The forms a due date may be typed in, for messages refusing one. */
export const DUE_FORMS = 'YYYY-MM-DD, YYYY-MM-DD HH:MM, or words such as "friday" or "in 2 weeks"';

/** Whether a date and time in ISO shape exists on the calendar: no 30 February, month 13 or hour 25. */
function onCalendar(m: RegExpExecArray): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return year! >= 1 && month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

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
  const iso = ISO_SHAPE.exec(t);
  // A date in ISO shape is read as typed or refused: chrono would move 30 February to March.
  if (iso) return onCalendar(iso) ? t.replace('T', ' ') : undefined;
  const [result] = loadChrono().parse(t, now, { forwardDate: true });
  if (!result) return undefined;
  const d = result.start.date();
  if (!result.start.isCertain('hour')) return localDate(d);
  return `${localDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Whether a stored due value has the canonical form `parseDue` produces. */
export function isCanonicalDue(value: string): boolean {
  const iso = ISO_SHAPE.exec(value);
  return !!iso && !value.includes('T') && onCalendar(iso);
}
