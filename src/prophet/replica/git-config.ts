import { ProphetError } from '../model/errors.js';

/**
 * git-config syntax: `[section]` or `[section "subsection"]` headers and
 * `key = value` lines, `#`/`;` comments, double-quoted values. Keys are
 * flattened to `section.subsection.key`; section and key names are
 * case-insensitive, subsections are not.
 */
export type ConfigEntries = Array<{ key: string; value: string }>;

const HEADER = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(?:[#;].*)?$/;
// Key names may hold spaces: multi-word aliases are keys like `alias.list open`.
const ENTRY = /^([A-Za-z0-9][^=]*?)\s*(?:=\s*(.*))?$/;

function unquote(raw: string, where: string): string {
  let out = '';
  let quoted = false;
  // Trailing blanks are dropped only where they were not quoted or escaped.
  let kept = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const n = raw[++i];
      if (n === undefined) throw new ProphetError(`${where}: a value ends with a lone backslash`);
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      kept = out.length;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '#' || c === ';')) break;
    else {
      out += c;
      if (quoted) kept = out.length;
    }
  }
  if (quoted) throw new ProphetError(`${where}: a quoted value is not closed`);
  return out.slice(0, kept) + out.slice(kept).trimEnd();
}

export function parseGitConfig(text: string, file: string): ConfigEntries {
  const entries: ConfigEntries = [];
  let section: string | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    const header = HEADER.exec(t);
    if (header) {
      const sub = header[2]?.replace(/\\(.)/g, '$1');
      section = header[1]!.toLowerCase() + (sub !== undefined ? `.${sub}` : '');
      return;
    }
    const entry = ENTRY.exec(t);
    if (!entry || section === undefined) throw new ProphetError(`${where}: cannot read '${t}' (expected [section] or key = value)`);
    entries.push({ key: `${section}.${entry[1]!.toLowerCase()}`, value: entry[2] === undefined ? 'true' : unquote(entry[2], where) });
  });
  return entries;
}

/** Splits `a.b.c.key` into the section, the subsection (which may hold dots) and the key. */
export function splitKey(key: string): { section: string; sub?: string; name: string } {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 1 || last === key.length - 1) throw new ProphetError(`'${key}' is not a config key (expected section.key or section.subsection.key)`);
  const section = key.slice(0, first).toLowerCase();
  const name = key.slice(last + 1).toLowerCase();
  return first === last ? { section, name } : { section, sub: key.slice(first + 1, last), name };
}

function quoteValue(value: string): string {
  if (value === '' || /^\s|\s$|[#;"\\\n\t]/.test(value)) {
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
  }
  return value;
}

function headerOf(section: string, sub?: string): string {
  return sub === undefined ? `[${section}]` : `[${section} "${sub.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`;
}

/**
 * Sets (value) or removes (undefined) a key in config text, keeping every
 * other line, comment and the order as they were.
 */
export function editGitConfig(text: string, key: string, value: string | undefined): string {
  const { section, sub, name } = splitKey(key);
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  let current: string | undefined;
  let sectionEnd = -1;
  const wanted = section + (sub !== undefined ? `.${sub}` : '');
  const out: string[] = [];
  let done = false;
  for (const line of lines) {
    const t = line.trim();
    const header = HEADER.exec(t);
    if (header) {
      const s = header[2]?.replace(/\\(.)/g, '$1');
      current = header[1]!.toLowerCase() + (s !== undefined ? `.${s}` : '');
      out.push(line);
      if (current === wanted) sectionEnd = out.length;
      continue;
    }
    const entry = ENTRY.exec(t);
    if (current === wanted && entry && entry[1]!.toLowerCase() === name) {
      if (value !== undefined && !done) out.push(`\t${name} = ${quoteValue(value)}`);
      done = true;
      sectionEnd = out.length;
      continue;
    }
    out.push(line);
    if (current === wanted && t !== '') sectionEnd = out.length;
  }
  if (!done && value !== undefined) {
    const entry = `\t${name} = ${quoteValue(value)}`;
    if (sectionEnd >= 0) out.splice(sectionEnd, 0, entry);
    else out.push(headerOf(section, sub), entry);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
