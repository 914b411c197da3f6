/**
 * The foreign trackers SD syncs with: each connector's URL scheme and its
 * default value maps. A new connector is one entry here.
 */
import type { Scheme } from '../../prophet/index.js';
import { fossilScheme } from './fossil/scheme.js';
import { GITHUB_MAP_DEFAULTS } from './github/mapping.js';
import { githubScheme } from './github/scheme.js';
import { FOSSIL_MAP_DEFAULTS } from './fossil/mapping.js';
import { REDMINE_MAP_DEFAULTS } from './redmine/mapping.js';
import { redmineScheme } from './redmine/scheme.js';
import { RT_MAP_DEFAULTS } from './rt/mapping.js';
import { rtScheme } from './rt/scheme.js';
import type { MapDefaults } from './value-maps.js';

export interface ForeignTracker {
  /** Its URL prefix without the colon, and its name for people. */
  scheme: Scheme;
  title: string;
  defaults: MapDefaults;
  /** What else maps values, beyond the entries shown (read from the tracker when it syncs). */
  note?: string;
}

export const FOREIGN_TRACKERS: ForeignTracker[] = [
  { scheme: rtScheme, title: 'Request Tracker', defaults: RT_MAP_DEFAULTS },
  { scheme: redmineScheme, title: 'Redmine', defaults: REDMINE_MAP_DEFAULTS, note: "after these, each Redmine user maps to the email of their account (else their login); trackers, categories and versions keep Redmine's names" },
  { scheme: githubScheme, title: 'GitHub Issues', defaults: GITHUB_MAP_DEFAULTS, note: "a status's GitHub side is its state, or closed:<state_reason>; a login the user map does not name is <login>@users.noreply.github.com; labels 'priority: X' go through the priority map" },
  { scheme: fossilScheme, title: 'Fossil', defaults: FOSSIL_MAP_DEFAULTS, note: "after these, each user of the repository whose contact information holds an email address maps to it (a server's clone knows only the user it syncs as)" },
];

export function trackerOf(url: string): ForeignTracker | undefined {
  return FOREIGN_TRACKERS.find((t) => t.scheme.matches(url));
}
