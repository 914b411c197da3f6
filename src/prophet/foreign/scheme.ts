import { ProphetError } from '../model/errors.js';
import type { Scheme, SchemeOptions } from '../transports/schemes.js';
import type { ForeignConnector } from './connector.js';
import { ForeignSource } from './foreign-source.js';
import { ForeignTarget } from './foreign-target.js';

/** What an app gives to register a foreign tracker: its URLs and how to connect to one. */
export interface ForeignSchemeDefinition {
  /** The URL prefix without its colon: `rt`. */
  name: string;
  /**
   * Opens a connector for a URL of this scheme; it checks nothing remote
   * until its `open()`. May load the connector's code first, so commands
   * that never sync with this tracker do not load it.
   */
  connect(url: string, opts: SchemeOptions): ForeignConnector | Promise<ForeignConnector>;
}

function localReplica(url: string, name: string, opts: SchemeOptions) {
  const local = opts.local;
  if (!local) throw new ProphetError(`a ${name}: replica syncs with a replica on this machine: use clone, pull or push, not merge between two URLs ('${url}')`, 'usage');
  return local;
}

/** A foreign tracker as a scheme of the registry: a source for clone and pull, a target for push. */
export function foreignScheme(def: ForeignSchemeDefinition): Scheme {
  const prefix = new RegExp(`^${def.name}:`, 'i');
  return {
    name: def.name,
    matches: (url) => prefix.test(url),
    openSource: async (url, opts) => new ForeignSource(await def.connect(url, opts), { local: localReplica(url, def.name, opts), dryRun: opts.dryRun, onProgress: opts.onProgress }),
    openTarget: async (url, opts) => {
      const local = localReplica(url, def.name, opts)();
      if (!local) throw new ProphetError(`cannot push to '${url}' without a local replica`, 'usage');
      if (opts.force) throw new ProphetError(`--force is not available when pushing to a ${def.name}: replica`, 'usage');
      return new ForeignTarget(await def.connect(url, opts), local);
    },
  };
}
