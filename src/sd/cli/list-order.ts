import type { RecordState } from '../../prophet/index.js';

/**
 * Sorts tickets by a property, lexically, tickets without it first (or
 * last with `undefLast`); ties keep local id order. Without a property
 * they stay in local id order.
 */
export function sortTickets(tickets: RecordState[], prop: string | undefined, undefLast: boolean): RecordState[] {
  const byLuid = [...tickets].sort((a, b) => a.luid - b.luid);
  if (!prop) return byLuid;
  const value = (t: RecordState) => (prop === 'id' || prop === 'luid' ? String(t.luid).padStart(12, '0') : t.props[prop]);
  return byLuid.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) {
      if (va === vb) return 0;
      return (va === undefined) === undefLast ? 1 : -1;
    }
    return va < vb ? -1 : va > vb ? 1 : 0;
  });
}

export interface TicketGroup {
  label: string;
  tickets: RecordState[];
}

/**
 * Buckets tickets by a property's value, keeping their order within each
 * group. Groups follow `order` (the milestones or statuses setting) with
 * any other values after, by name; an empty value is labelled `none`.
 */
export function groupTickets(tickets: RecordState[], prop: string, order: string[] = []): TicketGroup[] {
  const groups = new Map<string, RecordState[]>();
  for (const t of tickets) {
    const label = t.props[prop] || 'none';
    const group = groups.get(label);
    if (group) group.push(t);
    else groups.set(label, [t]);
  }
  const rank = (label: string) => (order.includes(label) ? order.indexOf(label) : order.length);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, ts]) => ({ label, tickets: ts }));
}
