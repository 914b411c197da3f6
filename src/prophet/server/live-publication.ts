import type { Replica } from '../replica/replica.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type LogManifest, type Manifest } from '../transports/manifest.js';
import type { BuiltPack } from '../transports/pack.js';
import { manifestLog } from '../transports/published-log.js';

/**
 * The published layout of a live replica, kept in memory: the same
 * manifest and packs `publish` writes, so one HTTP source reads both.
 * Rebuilt only when a log has grown, and then only from its last pack on;
 * a pull with nothing new costs the server one comparison.
 */
export class LivePublication {
  private current?: { main: number; res: number; manifest: Manifest; body: string };
  private packs = new Map<string, Buffer>();

  constructor(private readonly replica: Replica) {}

  /** The manifest as served, serialised once per change of the logs. */
  manifestBody(): string {
    const main = this.replica.latestSequenceNo();
    const res = this.replica.resdb.latestSequenceNo();
    if (this.current && this.current.main === main && this.current.res === res) return this.current.body;
    const built = new Map<string, Buffer>();
    const keep = (pack: BuiltPack) => built.set(pack.ref.hash, pack.data);
    const previous = this.current?.manifest;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      replica: manifestLog(this.replica, previous?.replica, keep),
      resolutions: manifestLog(this.replica.resdb, previous?.resolutions, keep),
    };
    // Packs of this manifest and the one before stay: a reader mid-pull on the old one can finish.
    const wanted = new Set([...namedPacks(manifest.replica), ...namedPacks(manifest.resolutions), ...(previous ? [...namedPacks(previous.replica), ...namedPacks(previous.resolutions)] : [])]);
    const packs = new Map<string, Buffer>();
    for (const hash of wanted) {
      const data = built.get(hash) ?? this.packs.get(hash);
      if (data) packs.set(hash, data);
    }
    this.packs = packs;
    this.current = { main, res, manifest, body: JSON.stringify(manifest) };
    return this.current.body;
  }

  pack(hash: string): Buffer | undefined {
    this.manifestBody();
    return this.packs.get(hash);
  }
}

function namedPacks(log: LogManifest): string[] {
  return log.packs.map((p) => p.hash);
}
