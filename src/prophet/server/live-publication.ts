import { LRUCache } from 'lru-cache';
import type { Replica } from '../replica/replica.js';
import { LOG_NAMES, MANIFEST_FORMAT, MANIFEST_VERSION, type LogName, type Manifest } from '../transports/manifest.js';
import type { BuiltPack, PackRange } from '../transports/pack.js';
import { manifestLog, packLog } from '../transports/published-log.js';

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
  /** By name; each knows where it lies, so a request naming another range is refused alike with or without it at hand. */
  private readonly packs: LRUCache<string, { range: PackRange; data: Buffer }>;

  constructor(
    private readonly replica: Replica,
    opts: { cacheBytes?: number } = {},
  ) {
    this.packs = new LRUCache({ maxSize: opts.cacheBytes ?? DEFAULT_CACHE_BYTES, sizeCalculation: (pack) => pack.data.length });
  }

  /** The manifest as served, serialised once per change of the logs. */
  manifestBody(): string {
    const main = this.replica.latestSequenceNo();
    const res = this.replica.resdb.latestSequenceNo();
    if (this.current && this.current.main === main && this.current.res === res) return this.current.body;
    const keep = (log: LogName) => (pack: BuiltPack) => this.keep(log, pack);
    const previous = this.current?.manifest;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      replica: manifestLog(this.replica, previous?.replica, keep('replica')),
      resolutions: manifestLog(this.replica.resdb, previous?.resolutions, keep('resolutions')),
    };
    this.previous = previous;
    this.current = { main, res, manifest, body: JSON.stringify(manifest) };
    return this.current.body;
  }

  /**
   * A pack by its name. With its range, any pack of the log, cut again
   * from it: a manifest another process served may name an open last pack
   * this one never built. Without (a reader from before ranges), only a
   * pack the current or the previous manifest names. Undefined for any other.
   */
  pack(hash: string, range?: PackRange): Buffer | undefined {
    if (range) {
      const kept = this.packs.get(hash);
      if (kept) return sameRange(kept.range, range) ? kept.data : undefined;
      return this.cut(hash, range);
    }
    // Brings the manifests up to date, and with them the packs just cut into the cache.
    this.manifestBody();
    const kept = this.packs.get(hash);
    if (kept) return kept.data;
    for (const manifest of [this.current!.manifest, this.previous]) {
      for (const log of LOG_NAMES) {
        const ref = manifest?.[log].packs.find((p) => p.hash === hash);
        if (ref) return this.cut(hash, { log, first: ref.first, last: ref.last });
      }
    }
    return undefined;
  }

  /** Bytes of packs held in memory. */
  get heldBytes(): number {
    return this.packs.calculatedSize;
  }

  private keep(log: LogName, pack: BuiltPack): void {
    this.packs.set(pack.ref.hash, { range: { log, first: pack.ref.first, last: pack.ref.last }, data: pack.data });
  }

  /**
   * The pack named `hash`, cut again from the log at `range`: the same
   * changesets give the same bytes. A pack closes on its own contents, so
   * cutting from its first changeset gives it back whole, and a range
   * wider than one pack costs no more than one pack before it is refused.
   */
  private cut(hash: string, range: PackRange): Buffer | undefined {
    for (const pack of packLog(range.log === 'replica' ? this.replica : this.replica.resdb, range.first, range.last)) {
      if (pack.ref.hash !== hash) return undefined;
      this.keep(range.log, pack);
      return pack.data;
    }
    return undefined;
  }
}

function sameRange(a: PackRange, b: PackRange): boolean {
  return a.log === b.log && a.first === b.first && a.last === b.last;
}
