/** Values of foreign trackers in SD's terms, shared by the connectors. */

/** A custom field's SD property: `cf-severity` for "Severity", `cf-due_week` for "Due week". */
export function cfProp(name: string): string {
  return `cf-${name.toLowerCase().replace(/\s+/g, '_')}`;
}

/** A watcher list or multi-valued field as one value: sorted, comma-joined; empty is unset. */
export function joinList(values: Iterable<string>): string | null {
  const list = [...new Set([...values].filter((v) => v !== ''))].sort();
  return list.length ? list.join(', ') : null;
}

export function splitList(value: string | null | undefined): string[] {
  return value ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
}

/** The properties that differ between two states: new values, null for removed. */
export function difference(before: Readonly<Record<string, string | null | undefined>>, after: Readonly<Record<string, string | null | undefined>>): Record<string, string | null> {
  const changed: Record<string, string | null> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if ((before[name] ?? null) !== (after[name] ?? null)) changed[name] = after[name] ?? null;
  }
  return changed;
}
