import type { RecordState } from '../model/types.js';
import type { Config } from '../replica/config.js';
import { ProphetError } from '../model/errors.js';
import type { Colors } from './context.js';

/** `%s`, `%-10s`, `%.20s`, `%5d`, `%%`: the printf subset summary formats use. */
const DIRECTIVE = /%(-?)(\d*)(?:\.(\d+))?([sd%])/g;

type Piece = string | { left: boolean; width: number; precision?: number; conv: 's' | 'd' };

/**
 * Parses a printf format once into literal pieces and its directives, so
 * that formatting thousands of list lines does no regex work per line.
 */
function compilePrintf(format: string, atom: string): (value: string) => string {
  const pieces: Piece[] = [];
  let at = 0;
  let used = 0;
  for (const m of format.matchAll(DIRECTIVE)) {
    pieces.push(format.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[4] === '%') {
      pieces.push('%');
      continue;
    }
    used++;
    pieces.push({ left: m[1] === '-', width: Number(m[2] || 0), precision: m[3] === undefined ? undefined : Number(m[3]), conv: m[4] as 's' | 'd' });
  }
  pieces.push(format.slice(at));
  return (value) => {
    if (used !== 1) throw new ProphetError(`cannot format value '${value}' with '${format}' in summary-format atom '${atom}': it needs exactly one %s or %d`);
    let out = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        out += piece;
        continue;
      }
      if (piece.conv === 'd' && !/^-?\d+$/.test(value)) {
        throw new ProphetError(`cannot format value '${value}' with '${format}' in summary-format atom '${atom}': %d needs a whole number`);
      }
      const text = piece.conv === 's' && piece.precision !== undefined ? value.slice(0, piece.precision) : value;
      out += piece.left ? text.padEnd(piece.width) : text.padStart(piece.width);
    }
    return out;
  };
}

/** Line breaks, tabs and other control characters as escapes (`\\n`): one record stays one line, whatever a peer stored. */
export function oneLineText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function atomValue(record: RecordState, prop: string): string {
  if (prop === '$luid') return String(record.luid);
  if (prop === '$uuid' || prop === '$guid') return record.uuid;
  return oneLineText(record.props[prop] || '-');
}

/**
 * Compiles a summary format (reference §4.3) into a function rendering
 * one record: atoms split by `|`, each `printf-format,prop[,color]`;
 * `prop` may be `$luid` or `$uuid`; an empty value shows as `-`; an atom
 * without a comma is a literal in which `$luid` and `$uuid` are substituted.
 */
export function compileSummaryFormat(format: string, colors?: Colors): (record: RecordState) => string {
  const { cells } = compileSummaryColumns(format, colors);
  return (record) => cells(record).join(' ');
}

/**
 * A summary format as columns: a header per atom (its property, `id` for
 * `$luid`, empty for a literal) and the cells of one record, for a table.
 */
export function compileSummaryColumns(format: string, colors?: Colors): { headers: string[]; cells: (record: RecordState) => string[] } {
  const headers: string[] = [];
  const atoms = format.split('|').map((raw): ((record: RecordState) => string) => {
    const atom = raw.trim();
    const parts = atom.split(',').map((p) => p.trim());
    headers.push(parts.length === 1 ? '' : parts[1] === '$luid' ? 'id' : parts[1]!.replace(/^\$/, ''));
    if (parts.length === 1) return (record) => atom.replace(/\$luid/g, String(record.luid)).replace(/\$(uuid|guid)/g, record.uuid);
    const [fmt, prop, color] = parts as [string, string, string | undefined];
    const print = compilePrintf(fmt, atom);
    const paint = color && colors ? (colors as unknown as Record<string, unknown>)[color] : undefined;
    if (color && colors && typeof paint !== 'function') throw new ProphetError(`summary-format atom '${atom}' names an unknown colour '${color}'`);
    return typeof paint === 'function' ? (record) => (paint as (s: string) => string)(print(atomValue(record, prop))) : (record) => print(atomValue(record, prop));
  });
  return { headers, cells: (record) => atoms.map((a) => a(record)) };
}

/** Renders one record by a summary format (see compileSummaryFormat). */
export function summarize(record: RecordState, format: string, colors?: Colors): string {
  return compileSummaryFormat(format, colors)(record);
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
