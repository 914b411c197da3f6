import { Replica } from '../../prophet/index.js';
import type { AppDefinition, InitOptions, OpenOptions } from '../../prophet/index.js';
import { attachmentType, commentType, ticketType } from './record-types.js';
import { SD_SETTINGS } from './settings.js';

export const SD_APP_NAME = 'sd';

/** SD as a Prophet application: its record types and replicated settings. */
export const sdAppDefinition: AppDefinition = {
  name: SD_APP_NAME,
  recordTypes: [ticketType(), commentType(), attachmentType()],
  settings: SD_SETTINGS,
};

export function openSdReplica(root: string, opts: Omit<OpenOptions, 'app'> = {}): Replica {
  return Replica.open(root, { ...opts, app: sdAppDefinition });
}

export function initSdReplica(root: string, opts: Omit<InitOptions, 'app'> = {}): Replica {
  return Replica.init(root, { ...opts, app: sdAppDefinition });
}
