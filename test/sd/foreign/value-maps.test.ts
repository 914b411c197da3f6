import { describe, expect, it } from 'vitest';
import { mapProps, parseMap, ValueMap, valueMaps } from '../../../src/sd/foreign/value-maps.js';

describe('value maps', () => {
  const map = new ValueMap([...parseMap('Fixed=closed, Closed=closed, Open=new', 'config', 'here'), ...parseMap('Open=open, resolved=closed', 'default', 'defaults')]);

  it('map foreign values to SD without regard to case, SD values back by the first entry naming them, and keep the rest', () => {
    expect(map.toSd('FIXED')).toBe('closed');
    expect(map.toSd('Open')).toBe('new');
    expect(map.toSd('Parked')).toBe('Parked');
    expect(map.toForeign('closed')).toBe('Fixed');
    expect(map.toForeign('open')).toBe('Open');
    expect(map.toForeign('Parked')).toBe('Parked');
    expect(map.toSd(null)).toBeNull();
  });

  it('map each value of a list property and leave other properties alone', () => {
    const maps = valueMaps({ user: 'root=root@example.com' }, undefined, undefined);
    expect(mapProps({ cc: 'root, bob@example.com', summary: 'root' }, maps, { user: ['cc'] }, 'sd')).toEqual({ cc: 'bob@example.com, root@example.com', summary: 'root' });
    expect(mapProps({ cc: 'root@example.com', owner: null }, maps, { user: ['cc', 'owner'] }, 'foreign')).toEqual({ cc: 'root', owner: null });
  });

  it('refuse an entry without an = in one line naming the key', () => {
    expect(() => parseMap('Open=new, Fixed', 'config', 'replica.up.status-map')).toThrow("replica.up.status-map: 'Fixed' is not a map entry (expected FOREIGN=SD, e.g. 'Fixed=closed', entries separated by commas)");
  });
});
