/**
 * Status, priority and user maps between a foreign tracker's values and
 * SD's, per foreign replica. A connector declares its defaults; the
 * replica's config adds to them:
 *
 *     [replica "upstream"]
 *         url = fossil:/srv/project.fossil
 *         status-map = "Fixed=closed, Review=open"
 *         user-map = "drh=drh@example.com"
 *
 * Each entry is `FOREIGN=SD`. A lookup takes the first entry that
 * matches, configured entries before the connector's defaults, so a
 * configured entry overrides a default for the same value (and
 * `Fixed=Fixed` keeps a value the defaults would change). Several foreign
 * values may map to one SD value: a pull maps each, a push sends the first.
 * A value no entry names is kept as it is, never dropped.
 *
 * The maps are values of config keys, not keys of their own: tracker
 * values hold dots (emails), capitals and spaces that config key names
 * cannot keep.
 */
import { ProphetError, type Replica } from '../../prophet/index.js';

export const MAP_KINDS = ['status', 'priority', 'user'] as const;
export type MapKind = (typeof MAP_KINDS)[number];

export interface MapEntry {
  foreign: string;
  sd: string;
  /** Where the entry comes from: the replica's config, the connector's defaults, or the tracker itself (its users' emails). */
  from: 'config' | 'default' | 'tracker';
}

/** A connector's defaults: `FOREIGN=SD` lists, as a config value would give them. */
export type MapDefaults = Partial<Record<MapKind, string>>;

/** The config key of a foreign replica's map: `replica.NAME.status-map`. */
export function mapKey(name: string, kind: MapKind): string {
  return `replica.${name}.${kind}-map`;
}

/** `A=b, C=d` as entries; a malformed entry fails with one line naming where it is. */
export function parseMap(text: string, from: MapEntry['from'], where: string): MapEntry[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const foreign = part.slice(0, eq).trim();
      const sd = part.slice(eq + 1).trim();
      if (eq < 0 || foreign === '' || sd === '') throw new ProphetError(`${where}: '${part}' is not a map entry (expected FOREIGN=SD, e.g. 'Fixed=closed', entries separated by commas)`, 'usage');
      return { foreign, sd, from };
    });
}

export class ValueMap {
  constructor(readonly entries: readonly MapEntry[]) {}

  /** This map followed by more entries (a connector's, read from the tracker): earlier entries still win. */
  with(more: MapEntry[]): ValueMap {
    return new ValueMap([...this.entries, ...more]);
  }

  /** A foreign value as SD writes it (foreign values match without regard to case). */
  toSd(value: string): string;
  toSd(value: string | null): string | null;
  toSd(value: string | null): string | null {
    if (value === null) return null;
    const lower = value.toLowerCase();
    return this.entries.find((e) => e.foreign.toLowerCase() === lower)?.sd ?? value;
  }

  /** An SD value as the tracker takes it. */
  toForeign(value: string): string;
  toForeign(value: string | null): string | null;
  toForeign(value: string | null): string | null {
    if (value === null) return null;
    return this.entries.find((e) => e.sd === value)?.foreign ?? value;
  }
}

export type ValueMaps = Record<MapKind, ValueMap>;

/**
 * The maps in force for the foreign replica `name` (a configured name, or
 * the URL a replica pulled from by URL is remembered under): its config's
 * entries, then the connector's defaults.
 */
export function valueMaps(defaults: MapDefaults, replica: Replica | undefined, name: string | undefined): ValueMaps {
  const maps = {} as ValueMaps;
  for (const kind of MAP_KINDS) {
    const key = name === undefined ? undefined : mapKey(name, kind);
    const configured = key && replica ? replica.config.get(key) : undefined;
    maps[kind] = new ValueMap([...(configured ? parseMap(configured, 'config', key!) : []), ...parseMap(defaults[kind] ?? '', 'default', 'the connector defaults')]);
  }
  return maps;
}

/** Which SD properties hold values of which map: `{ status: ['status'], user: ['owner', 'cc'] }`. A property may hold a comma-separated list. */
export type MappedProps = Partial<Record<MapKind, readonly string[]>>;

/** Record properties with their mapped values put through the maps, to SD's values or to the tracker's; the others as they are. */
export function mapProps(props: Record<string, string | null>, maps: ValueMaps, which: MappedProps, to: 'sd' | 'foreign'): Record<string, string | null> {
  const out = { ...props };
  for (const kind of MAP_KINDS) {
    for (const prop of which[kind] ?? []) {
      const value = out[prop];
      if (value === undefined || value === null) continue;
      const one = (v: string) => (to === 'sd' ? maps[kind].toSd(v) : maps[kind].toForeign(v));
      const list = value.split(',').map((v) => v.trim());
      out[prop] = list.length > 1 ? list.map(one).sort().join(', ') : one(value);
    }
  }
  return out;
}
