import { getSetting } from '../../prophet/index.js';
import type { Replica, SettingDefinition } from '../../prophet/index.js';

/**
 * SD's replicated database settings. The uuids are the original SD's, so the
 * same setting has the same record in every SD database (lowercased because
 * Prophet stores uuids in lower case).
 */
export const SD_SETTINGS: Record<string, SettingDefinition> = {
  statuses: {
    uuid: '24183c4d-efd0-4b16-a207-ed7598e875e6',
    default: ['new', 'open', 'stalled', 'closed', 'rejected'],
    description: 'every status a ticket may have',
  },
  active_statuses: {
    uuid: 'c879a68f-8cfe-44b5-9edd-14e53933669e',
    default: ['new', 'open'],
    description: 'statuses of tickets still to be worked on (the default ticket list shows these)',
  },
  default_status: { uuid: '2f9e6509-4468-438a-a733-246b3061003e', default: ['new'], description: 'the status of a new ticket' },
  components: { uuid: '6cbd84a1-4568-48e7-b90c-f1a5b7bd8ecd', default: ['core', 'ui', 'docs', 'tests'], description: 'every component a ticket may belong to' },
  default_component: { uuid: '0aec922f-57b1-44be-9588-816e5841bb18', default: ['core'], description: 'the component of a new ticket' },
  milestones: { uuid: '1af5cf74-a6d4-417e-a738-cce64a0a7f71', default: ['alpha', 'beta', '1.0'], description: 'every milestone, in order' },
  default_milestone: { uuid: 'bab613bd-9e25-4612-8de3-21e4572859ea', default: ['alpha'], description: 'the milestone of a new ticket' },
  project_name: { uuid: '3b4b297c-906f-4018-9829-f7cc672274c9', default: ['Your SD Project'], description: 'the name of this project' },
  common_ticket_props: {
    uuid: '3f0a074f-af13-406f-bf7b-d69bbf360720',
    default: ['id', 'summary', 'status', 'milestone', 'component', 'owner', 'created', 'due', 'creator', 'reporter', 'original_replica'],
    description: 'the ticket properties shown and edited by default, in order',
  },
  prop_descriptions: {
    uuid: 'c1bced3a-ad2c-42c4-a502-4149205060f1',
    default: [
      {
        summary: 'a one-line summary of what this ticket is about',
        owner: 'the email address of the person who is responsible for this ticket',
        due: 'when this ticket must be finished by',
        reporter: 'the email address of the person who reported this ticket',
      },
    ],
    description: 'the help text shown for each property in verbose editor templates',
  },
};

/** The settings as SD reads them, with shapes checked (a peer may have synced anything). */
export interface SdSettings {
  statuses: string[];
  activeStatuses: string[];
  defaultStatus: string | undefined;
  components: string[];
  defaultComponent: string | undefined;
  milestones: string[];
  defaultMilestone: string | undefined;
  projectName: string;
  commonTicketProps: string[];
  propDescriptions: Record<string, string>;
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return typeof value === 'string' ? [value] : [];
  return value.filter((v): v is string => typeof v === 'string');
}

/** The original stores one-element arrays for single values; a bare string is accepted too. */
function first(value: unknown): string | undefined {
  return stringList(value)[0];
}

function descriptions(value: unknown): Record<string, string> {
  const object = Array.isArray(value) ? value[0] : value;
  if (typeof object !== 'object' || object === null) return {};
  return Object.fromEntries(Object.entries(object).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Reads the settings afresh: they are records that sync, so a long-running
 * process must not cache them (the original cached active statuses per process).
 */
export function readSdSettings(replica: Replica): SdSettings {
  const get = (label: string) => getSetting(replica, label);
  return {
    statuses: stringList(get('statuses')),
    activeStatuses: stringList(get('active_statuses')),
    defaultStatus: first(get('default_status')),
    components: stringList(get('components')),
    defaultComponent: first(get('default_component')),
    milestones: stringList(get('milestones')),
    defaultMilestone: first(get('default_milestone')),
    projectName: first(get('project_name')) ?? 'Your SD Project',
    commonTicketProps: stringList(get('common_ticket_props')),
    propDescriptions: descriptions(get('prop_descriptions')),
  };
}
