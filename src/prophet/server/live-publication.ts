import { LRUCache } from 'lru-cache';
import type { Replica } from '../replica/replica.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from '../transports/manifest.js';
import { encodePack, type BuiltPack, type PackRef } from '../transports/pack.js';
import { manifestLog, rowToEntry } from '../transports/published-log.js';

/** Packs kept ready, in bytes: those just cut, which readers of a new manifest fetch next. */
const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The published layout of a live replica: the same manifest and packs
 * `publish` writes, so one HTTP source reads both. The manifest is rebuilt
 * only when a log has grown, and then only from its last pack on; a pull
 * with nothing new costs the server one comparison. Packs are not all kept:
 * a pack is a run of an append-only log, so one a manifest names is cut
 * again from the database when asked for, and only the latest few stay in
 * memory, which therefore does not grow with the log.
 */
export class LivePublication {
  private current?: { main: number; res: number; manifest: Manifest; body: string };
  /** The manifest before the current one: a reader mid-pull on it can finish. */
  private previous?: Manifest;
  private readonly packs: LRUCache<string, Buffer>;

  constructor(
    private readonly replica: Replica,
    opts: { cacheBytes?: number } = {},
  ) {
    this.packs = new LRUCache({ maxSize: opts.cacheBytes ?? DEFAULT_CACHE_BYTES, sizeCalculation: (data) => data.length });
  }

  /** The manifest as served, serialised once per change of the logs. */
  manifestBody(): string {
    const main = this.replica.latestSequenceNo();
    const res = this.replica.resdb.latestSequenceNo();
    if (this.current && this.current.main === main && this.current.res === res) return this.current.body;
    const keep = (pack: BuiltPack) => this.packs.set(pack.ref.hash, pack.data);
    const previous = this.current?.manifest;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      replica: manifestLog(this.replica, previous?.replica, keep),
      resolutions: manifestLog(this.replica.resdb, previous?.resolutions, keep),
    };
    this.previous = previous;
    this.current = { main, res, manifest, body: JSON.stringify(manifest) };
    return this.current.body;
  }

  /** A pack the current or the previous manifest names; undefined for any other. */
  pack(hash: string): Buffer | undefined {
    this.manifestBody();
    const kept = this.packs.get(hash);
    if (kept) return kept;
    for (const manifest of [this.current!.manifest, this.previous]) {
      for (const [replica, log] of [[this.replica, manifest?.replica], [this.replica.resdb, manifest?.resolutions]] as const) {
        const ref = log?.packs.find((p) => p.hash === hash);
        if (ref) return this.cut(replica, ref);
      }
    }
    return undefined;
  }

  /** Bytes of packs held in memory. */
  get heldBytes(): number {
    return this.packs.calculatedSize;
  }

  /** The pack `ref` names, cut again from the log: the same changesets give the same bytes. */
  private cut(replica: Replica, ref: PackRef): Buffer | undefined {
    const pack = encodePack(replica.uuid, Array.from(replica.rawChangesets(ref.first, ref.last), rowToEntry));
    if (pack.ref.hash !== ref.hash) return undefined;
    this.packs.set(ref.hash, pack.data);
    return pack.data;
  }
}
