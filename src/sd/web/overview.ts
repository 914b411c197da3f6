import { countValues, searchPage } from '../../prophet/index.js';
import type { Criterion, RecordState, Replica } from '../../prophet/index.js';
import { TICKET } from '../model/record-types.js';
import { readSdSettings } from '../model/settings.js';

export interface Count {
  value: string;
  count: number;
}

export interface Overview {
  statuses: Count[];
  milestones: Count[];
  components: Count[];
  activeTotal: number;
  total: number;
  defaultMilestone: string | undefined;
  me: string | undefined;
  mine: RecordState[];
}

const MINE_LIMIT = 50;

/** The settings' values in their order with their counts, then any other value found (a peer's, or one set with `!`). */
function inOrder(counts: Map<string, number>, values: string[]): Count[] {
  const known = values.map((value) => ({ value, count: counts.get(value) ?? 0 }));
  const others = [...counts].filter(([value]) => !values.includes(value)).map(([value, count]) => ({ value, count }));
  return [...known, ...others];
}

const sum = (counts: Count[]) => counts.reduce((n, c) => n + c.count, 0);

/**
 * The project overview, as the original's home page: statuses over every
 * ticket; milestones and components over active tickets only; and the
 * active tickets of the default milestone that are yours or no one's.
 */
export function projectOverview(replica: Replica): Overview {
  const s = readSdSettings(replica);
  const active: Criterion[] = s.activeStatuses.map((value) => ({ prop: 'status', cmp: '=', value }));
  const me = replica.identity();
  const milestone: Criterion[] = s.defaultMilestone ? [{ prop: 'milestone', cmp: '=', value: s.defaultMilestone }] : [];
  const owners: Criterion[] = [{ prop: 'owner', cmp: '=', value: '' }, ...(me ? [{ prop: 'owner', cmp: '=' as const, value: me }] : [])];
  const mine = searchPage(replica, TICKET, { criteria: [...active, ...milestone, ...owners] }, { order: [], offset: 0, limit: MINE_LIMIT }).records;
  // Two grouped counts in the store, rather than one count per value.
  const statuses = inOrder(countValues(replica, TICKET, ['status']).get('status')!, s.statuses);
  const byActive = countValues(replica, TICKET, ['milestone', 'component'], { criteria: active });
  return {
    statuses,
    milestones: inOrder(byActive.get('milestone')!, s.milestones),
    components: inOrder(byActive.get('component')!, s.components),
    activeTotal: sum(statuses.filter((c) => s.activeStatuses.includes(c.value))),
    total: replica.countLive(TICKET),
    defaultMilestone: s.defaultMilestone,
    me,
    mine,
  };
}
