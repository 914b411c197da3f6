/**
 * A record's write state as kept in its row's `heads` column (JSON). A
 * property with one head (nearly all) is stored as just its changeset's
 * sequence number: its value is the shown one. Concurrent heads are stored
 * as [[seq, value], ...], the shown one first. When one changeset wrote
 * the record's existence and every property it has, and nothing else
 * stands (every record as created, until its first update), the column is
 * that one number: a tenth of the map's size, written for every record a
 * bulk create makes.
 */
import type { Properties } from '../model/types.js';
import { EXISTENCE, type RecordHeads } from './store.js';

type EncodedHeads = number | Record<string, number | Array<[number, string | null]>>;

/** The one changeset that wrote every head, when no head names a property the record lacks. */
function soleWriter(heads: RecordHeads, props: Properties): number | undefined {
  const existence = heads[EXISTENCE];
  if (existence?.length !== 1) return undefined;
  const id = existence[0]!.id;
  let named = 0;
  for (const [name, hs] of Object.entries(heads)) {
    if (hs.length !== 1 || hs[0]!.id !== id) return undefined;
    if (name !== EXISTENCE) {
      if (props[name] === undefined) return undefined;
      named++;
    }
  }
  return named === Object.keys(props).length ? id : undefined;
}

export function encodeHeads(heads: RecordHeads, props: Properties): string {
  const sole = soleWriter(heads, props);
  if (sole !== undefined) return String(sole);
  const out: Record<string, number | Array<[number, string | null]>> = {};
  for (const [name, hs] of Object.entries(heads)) {
    out[name] = hs.length === 1 ? hs[0]!.id : hs.map((h) => [h.id, h.value]);
  }
  return JSON.stringify(out);
}

export function decodeHeads(text: string, live: boolean, props: Properties): RecordHeads {
  const encoded = JSON.parse(text) as EncodedHeads;
  const shown = (name: string) => (name === EXISTENCE ? (live ? '1' : null) : (props[name] ?? null));
  if (typeof encoded === 'number') {
    const heads: RecordHeads = { [EXISTENCE]: [{ id: encoded, value: shown(EXISTENCE) }] };
    for (const name of Object.keys(props)) heads[name] = [{ id: encoded, value: shown(name) }];
    return heads;
  }
  const heads: RecordHeads = {};
  for (const [name, h] of Object.entries(encoded)) {
    heads[name] = typeof h === 'number' ? [{ id: h, value: shown(name) }] : h.map(([id, value]) => ({ id, value }));
  }
  return heads;
}

/** The properties (and EXISTENCE) with concurrent heads, in name order. */
export function conflictedNames(heads: RecordHeads): string[] {
  return Object.entries(heads)
    .filter(([, hs]) => hs.length > 1)
    .map(([name]) => name)
    .sort();
}
