/**
 * The `key: value` text a user edits for `create --edit` and
 * `update --edit` (reference §5.3).
 */
export function recordTemplate(heading: string, props: Record<string, string>): string {
  const lines = [
    `# ${heading}`,
    '# One property per line as "name: value". Remove a line to delete the property.',
    '# Lines starting with # are ignored. Save without changes to abort.',
    ...Object.keys(props).sort().map((k) => `${k}: ${props[k]}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The properties in edited text: `name: value` lines; comments, lines without a colon and empty values are ignored. */
export function parseRecordTemplate(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trimStart().startsWith('#')) continue;
    const m = /^\s*([^:\s][^:]*?)\s*:\s?(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2]!.trim();
    if (value !== '') props[m[1]!] = value;
  }
  return props;
}

/** What to write after an edit: changed and new values, and '' for keys the user removed. */
export function templateChanges(before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  const changes: Record<string, string> = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) changes[k] = v;
  for (const k of Object.keys(before)) if (!(k in after)) changes[k] = '';
  return changes;
}
