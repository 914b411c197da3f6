import { ProphetError } from '../../prophet/model/errors.js';
import { Replica, type AppDefinition, type InitOptions, type OpenOptions } from '../../prophet/replica/replica.js';
import { attachmentType, commentType, ticketType, type ReplicaOf } from './record-types.js';
import { SD_SETTINGS } from './settings.js';

export const SD_APP_NAME = 'sd';

/** SD as a Prophet application: its record types and replicated settings. */
export function sdAppDefinition(replicaOf: ReplicaOf): AppDefinition {
  return {
    name: SD_APP_NAME,
    recordTypes: [ticketType(replicaOf), commentType(replicaOf), attachmentType(replicaOf)],
    settings: SD_SETTINGS,
  };
}

/** Builds the app definition for a replica about to be opened, and binds its hooks to it. */
export function withSdApp(open: (app: AppDefinition) => Replica): Replica {
  const bound: { replica?: Replica } = {};
  const app = sdAppDefinition(() => {
    if (!bound.replica) throw new ProphetError('the SD replica is not open yet', 'internal');
    return bound.replica;
  });
  bound.replica = open(app);
  return bound.replica;
}

export function openSdReplica(root: string, opts: Omit<OpenOptions, 'app'> = {}): Replica {
  return withSdApp((app) => Replica.open(root, { ...opts, app }));
}

export function initSdReplica(root: string, opts: Omit<InitOptions, 'app'> = {}): Replica {
  return withSdApp((app) => Replica.init(root, { ...opts, app }));
}
