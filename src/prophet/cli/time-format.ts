/**
 * Times shown one way everywhere: people see local time with its zone
 * (`2026-03-01 14:05:09 +0100`, git's iso form), --json gets ISO 8601 in
 * UTC. Stored times come in two forms: changesets' ISO 8601 and SD's
 * `YYYY-MM-DD HH:MM:SS` in UTC without a zone.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** Milliseconds since the epoch of a stored time, or undefined when it is not one. */
export function timeValue(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)/.exec(text);
  // A time without a zone is UTC: that is how SD stores them.
  if (m && !/[zZ+]|[+-]\d{2}:?\d{2}$/.test(text.slice(m[0].length))) return Date.parse(`${m[1]}T${m[2]}Z`);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A stored time for people: local time with the zone's offset; text that is no time as it is. */
export function showTime(text: string): string {
  const ms = timeValue(text);
  if (ms === undefined) return text;
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** A stored time for --json: ISO 8601 in UTC; text that is no time as it is. */
export function jsonTime(text: string): string {
  const ms = timeValue(text);
  return ms === undefined ? text : new Date(ms).toISOString();
}
