import type { Properties } from '../../prophet/index.js';

/**
 * The editor template for creating and updating tickets (reference §3.6):
 * `=== title ===` sections for read-only metadata, the editable details
 * as `name: value` lines, and free text that becomes a new comment.
 */
export const METADATA_SECTION = 'required ticket metadata (changes here will not be saved)';
export const DETAILS_SECTION = 'edit ticket details below';
export const COMMENT_SECTION = 'add new ticket comment below';
export const ERRORS_SECTION = 'errors in this ticket';

/** Shown in the metadata section, never edited. */
export const METADATA_PROPS = ['id', 'creator', 'created', 'original_replica'];

export interface TemplateInput {
  /** Metadata lines, in order: `id: 3 (uuid)`, `creator: ...`. */
  metadata: Array<[string, string]>;
  /** The editable properties in order, with their values (empty for none). */
  details: Array<[string, string]>;
  /** With -v: a description per property... */
  descriptions?: Record<string, string>;
  /** ...and the valid values of the properties that have a list. */
  validValues?: Record<string, string[]>;
  /** Text already in the comment section. */
  comment?: string;
  lineLength?: number;
}

/** `# valid values for status: a b c`, wrapped, continuation lines indented under the list. */
function validValuesLines(prop: string, values: string[], width: number): string[] {
  const header = `# valid values for ${prop}:`;
  const lines: string[] = [];
  let line = header;
  for (const v of values) {
    if (line.length + 1 + v.length > width && line.length > header.length) {
      lines.push(line);
      line = `#${' '.repeat(header.length - 1)}`;
    }
    line += ` ${v}`;
  }
  lines.push(line);
  return lines;
}

export function renderTemplate(input: TemplateInput): string {
  const out: string[] = [`=== ${METADATA_SECTION} ===`, ''];
  for (const [k, v] of input.metadata) out.push(`${k}: ${v}`);
  out.push('', `=== ${DETAILS_SECTION} ===`, '');
  for (const [prop, value] of input.details) {
    const description = input.descriptions?.[prop];
    if (description) out.push(`# ${description}`);
    const valid = input.validValues?.[prop];
    if (valid?.length) out.push(...validValuesLines(prop, valid, input.lineLength ?? 80));
    out.push(`${prop}: ${value === '0' ? '' : value}`);
  }
  out.push('', `=== ${COMMENT_SECTION} ===`, '', input.comment ?? '');
  return out.join('\n');
}

export interface ParsedTemplate {
  /** Every property line of the details section with a value. */
  props: Properties;
  /** Names of all property lines in the details section, with or without a value. */
  shown: Set<string>;
  comment: string;
}

/**
 * Reads an edited template: `=== X ===` switches section; `#` lines,
 * metadata and text before the first header are ignored; in the details
 * `name: value` lines give properties; the comment section is kept whole.
 */
export function parseTemplate(text: string): ParsedTemplate {
  let section: string | undefined;
  const props: Properties = {};
  const shown = new Set<string>();
  const comment: string[] = [];
  for (const line of text.split('\n')) {
    const header = /^=== (.*) ===\s*$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section === COMMENT_SECTION) {
      comment.push(line);
      continue;
    }
    if (section !== DETAILS_SECTION || /^\s*#/.test(line)) continue;
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!.trim();
    const value = m[2]!.trim();
    shown.add(name);
    if (value !== '') props[name] = value;
  }
  return { props, shown, comment: comment.join('\n').trim() };
}

/**
 * Puts the errors on top of a rejected template, replacing errors from an
 * earlier round. The `!` hint is given on update too: it works there as well.
 */
export function withErrors(text: string, errors: string): string {
  const firstSection = text.indexOf(`=== ${METADATA_SECTION} ===`);
  const body = firstSection >= 0 ? text.slice(firstSection) : text;
  return [`=== ${ERRORS_SECTION} ===`, '', errors, '', 'You can bypass validation for a property by appending a ! to it.', '', body].join('\n');
}
