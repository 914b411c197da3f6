import { searchPage } from '../../prophet/index.js';
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

/** How many tickets match: counted in the store, no record loaded. */
function count(replica: Replica, criteria: Criterion[]): number {
  return searchPage(replica, TICKET, { criteria }, { order: [], offset: 0, limit: 0 }).total;
}

/**
 * The project overview, as the original's home page: statuses over every
 * ticket; milestones and components over active tickets only; and the
 * active tickets of the default milestone that are yours or no one's.
 */
export function projectOverview(replica: Replica): Overview {
  const s = readSdSettings(replica);
  const active: Criterion[] = s.activeStatuses.map((value) => ({ prop: 'status', cmp: '=', value }));
  const counts = (prop: string, values: string[], base: Criterion[]) => values.map((value) => ({ value, count: count(replica, [...base, { prop, cmp: '=', value }]) }));
  const me = replica.identity();
  const milestone: Criterion[] = s.defaultMilestone ? [{ prop: 'milestone', cmp: '=', value: s.defaultMilestone }] : [];
  const owners: Criterion[] = [{ prop: 'owner', cmp: '=', value: '' }, ...(me ? [{ prop: 'owner', cmp: '=' as const, value: me }] : [])];
  const mine = searchPage(replica, TICKET, { criteria: [...active, ...milestone, ...owners] }, { order: [], offset: 0, limit: MINE_LIMIT }).records;
  return {
    statuses: counts('status', s.statuses, []),
    milestones: counts('milestone', s.milestones, active),
    components: counts('component', s.components, active),
    activeTotal: count(replica, active),
    total: replica.countLive(TICKET),
    defaultMilestone: s.defaultMilestone,
    me,
    mine,
  };
}
