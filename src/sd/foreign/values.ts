/** Property values; null or absent is unset. */
type Values = Record<string, string | null | undefined>;

/** A list of values (watchers, labels, assignees) as one property value: sorted, comma-joined, without repeats; empty is unset. */
export function joinList(values: Iterable<string>): string | null {
  const list = [...new Set([...values].filter((v) => v !== ''))].sort();
  return list.length ? list.join(', ') : null;
}

export function splitList(value: string | null | undefined): string[] {
  return value ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
}


/** The properties that differ between two states: new values, null for removed. */
export function difference(before: Values, after: Values): Record<string, string | null> {
  const changed: Record<string, string | null> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if ((before[name] ?? null) !== (after[name] ?? null)) changed[name] = after[name] ?? null;
  }
  return changed;
}
