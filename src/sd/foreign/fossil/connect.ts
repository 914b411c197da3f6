import { join } from 'node:path';
import { ProphetError, redactUrls, urlUuid, type ForeignConnector, type SchemeOptions } from '../../../prophet/index.js';
import { valueMaps } from '../value-maps.js';
import { FossilConnector } from './connector.js';
import { FossilCommand } from './fossil-command.js';
import { FOSSIL_MAP_DEFAULTS } from './mapping.js';
import { clonesDirectory, FossilRepository } from './repository.js';
import { parseFossilUrl } from './url.js';

/** A connector for a URL of the `fossil:` scheme; loaded only when a command syncs with one. */
export function connectFossil(url: string, opts: SchemeOptions): ForeignConnector {
  const parsed = parseFossilUrl(url, opts.cwd);
  const env = opts.env ?? process.env;
  const fossil = new FossilCommand(env.SD_FOSSIL || 'fossil', env);
  const identityUrl = `fossil:${parsed.kind === 'file' ? parsed.path : parsed.server}`;
  const local = () => {
    const replica = opts.local?.();
    if (!replica) throw new ProphetError(`a fossil: replica syncs with a replica on this machine ('${redactUrls(url)}')`, 'usage');
    return replica;
  };
  // One clone per SD replica and server: its row ids are this replica's marks.
  const clone = () => join(clonesDirectory(env), `${local().uuid}-${urlUuid(identityUrl)}.fossil`);
  const repo = new FossilRepository(parsed, fossil, clone);
  // A file is written as fossil's default user; a server's clone as the user it syncs as.
  const writer = env.SD_FOSSIL_USER || (parsed.kind === 'http' ? parsed.user : undefined);
  return new FossilConnector(identityUrl, redactUrls(url), repo, fossil, () => valueMaps(FOSSIL_MAP_DEFAULTS, opts.local?.(), opts.name), writer);
}
