import type { RecordState } from '../model/types.js';
import type { Config } from '../replica/config.js';
import { ProphetError } from '../model/errors.js';
import type { Colors } from './context.js';

/** `%s`, `%-10s`, `%.20s`, `%5d`, `%%`: the printf subset summary formats use. */
const DIRECTIVE = /%(-?)(\d*)(?:\.(\d+))?([sd%])/g;

function printf(format: string, value: string, atom: string): string {
  let used = 0;
  const out = format.replace(DIRECTIVE, (_, left: string, width: string, precision: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    used++;
    let text = value;
    if (conv === 'd') {
      if (!/^-?\d+$/.test(value)) throw new ProphetError(`cannot format value '${value}' with '${format}' in summary-format atom '${atom}': %d needs a whole number`);
    } else if (precision !== undefined) {
      text = text.slice(0, Number(precision));
    }
    const w = Number(width || 0);
    return left ? text.padEnd(w) : text.padStart(w);
  });
  if (used !== 1) throw new ProphetError(`cannot format value '${value}' with '${format}' in summary-format atom '${atom}': it needs exactly one %s or %d`);
  return out;
}

function atomValue(record: RecordState, prop: string): string {
  if (prop === '$luid') return String(record.luid);
  if (prop === '$uuid' || prop === '$guid') return record.uuid;
  return record.props[prop] || '-';
}

/**
 * Renders one record by a summary format (reference §4.3): atoms split by
 * `|`, each `printf-format,prop[,color]`; `prop` may be `$luid` or
 * `$uuid`; an empty value shows as `-`; an atom without a comma is a
 * literal in which `$luid` and `$uuid` are substituted.
 */
export function summarize(record: RecordState, format: string, colors?: Colors): string {
  return format
    .split('|')
    .map((raw) => {
      const atom = raw.trim();
      const parts = atom.split(',').map((p) => p.trim());
      if (parts.length === 1) return atom.replace(/\$luid/g, String(record.luid)).replace(/\$(uuid|guid)/g, record.uuid);
      const [fmt, prop, color] = parts as [string, string, string | undefined];
      const text = printf(fmt, atomValue(record, prop), atom);
      const paint = color && colors ? (colors as unknown as Record<string, unknown>)[color] : undefined;
      if (color && colors && typeof paint !== 'function') throw new ProphetError(`summary-format atom '${atom}' names an unknown colour '${color}'`);
      return typeof paint === 'function' ? (paint as (s: string) => string)(text) : text;
    })
    .join(' ');
}

/** The format for a type: `<type>.summary-format`, then `record.summary-format`, then the app's default. */
export function summaryFormatFor(config: Config, type: string, appDefault?: string): string | undefined {
  return config.get(`${type}.summary-format`) ?? config.get('record.summary-format') ?? appDefault;
}

/** One search result line: by the summary format, or every property quoted when there is none. */
export function formatRecordLine(record: RecordState, format: string | undefined, colors?: Colors): string {
  if (format) return summarize(record, format, colors);
  const props = Object.keys(record.props).sort().map((k) => `'${k}': '${record.props[k]}'`);
  return [`'uuid': '${record.uuid}'`, `'luid': '${record.luid}'`, ...props].join(' ');
}
