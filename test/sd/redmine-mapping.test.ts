import { describe, expect, it } from 'vitest';
import { issueFields, REDMINE_MAP_DEFAULTS, rewind, toRedmine, type Ids, type Kind, type Names } from '../../src/sd/foreign/redmine/mapping.js';
import { valueMaps } from '../../src/sd/foreign/value-maps.js';

const DEFAULT_MAPS = valueMaps(REDMINE_MAP_DEFAULTS, undefined, undefined);
import { parseRedmineUrl } from '../../src/sd/foreign/redmine/url.js';

const LISTS: Record<string, Record<string, number>> = {
  status: { New: 1, 'In Progress': 2, Resolved: 3, Closed: 5, 'Waiting for parts': 7 },
  priority: { Low: 1, Normal: 2, High: 3 },
  version: { '1.0': 11 },
  category: { ui: 21 },
  tracker: { Bug: 1 },
  user: { 'bob@example.test': 6 },
};

const names: Names = {
  name: (kind: Kind, id: string) => Object.entries(LISTS[kind] ?? {}).find(([, v]) => String(v) === id)?.[0] ?? `#${id}`,
  multiple: (cf) => cf === '2',
  customField: (id) => ({ '1': 'Severity', '2': 'Tags' })[id] ?? id,
};

const ids: Ids = {
  names: (kind) => Object.keys(LISTS[kind] ?? {}),
  id: (kind, name) => LISTS[kind]?.[name],
  customFieldByProp: (prop) => ({ 'cf-severity': { id: 1, multiple: false }, 'cf-tags': { id: 2, multiple: true } })[prop],
};

describe('Redmine values in SD terms', () => {
  it('maps statuses and priorities both ways through one table, keeping what it does not name', () => {
    expect(DEFAULT_MAPS.status.toSd('In Progress')).toBe('open');
    expect(DEFAULT_MAPS.status.toSd('Waiting for parts')).toBe('Waiting for parts');
    expect(toRedmine(DEFAULT_MAPS.status, 'open', ids.names('status'))).toBe('In Progress');
    expect(toRedmine(DEFAULT_MAPS.status, 'waiting for PARTS', ids.names('status'))).toBe('Waiting for parts');
    expect(toRedmine(DEFAULT_MAPS.status, 'stalled', ids.names('status'))).toBeUndefined();
  });

  it('rewinds a journal: attributes by id to their names, a multi-valued custom field value by value', () => {
    const after = { status: 'open', milestone: '1.0', 'cf-tags': 'software', 'cf-severity': 'low', owner: 'bob@example.test' };
    const before = rewind(
      [
        { property: 'attr', name: 'status_id', old_value: '1', new_value: '2' },
        { property: 'attr', name: 'fixed_version_id', old_value: null, new_value: '11' },
        { property: 'attr', name: 'assigned_to_id', old_value: null, new_value: '6' },
        { property: 'cf', name: '1', old_value: 'high', new_value: 'low' },
        { property: 'cf', name: '2', old_value: 'hardware', new_value: null },
        { property: 'cf', name: '2', old_value: 'urgent', new_value: null },
        { property: 'cf', name: '2', old_value: null, new_value: 'software' },
        { property: 'attachment', name: '9', old_value: null, new_value: 'a.bin' },
      ],
      after,
      names,
      DEFAULT_MAPS,
    );
    expect(before).toEqual({ status: 'new', 'cf-tags': 'hardware, urgent', 'cf-severity': 'high' });
  });

  it('turns SD properties into issue fields by id, and names what Redmine has no value for', () => {
    const { fields, sent, unsent } = issueFields({ summary: 'S', status: 'closed', priority: 'high', milestone: '2.0', component: 'ui', owner: 'bob@example.test', due: '2027-01-02 10:00', 'cf-tags': 'a, b', reporter: 'x@example.test', 'cf-unknown': 'z' }, ids, DEFAULT_MAPS);
    expect(fields).toEqual({ subject: 'S', status_id: 5, priority_id: 3, category_id: 21, assigned_to_id: 6, due_date: '2027-01-02', custom_fields: [{ id: 2, value: ['a', 'b'] }] });
    expect(sent.sort()).toEqual(['cf-tags', 'component', 'due', 'owner', 'priority', 'status', 'summary']);
    expect(unsent).toEqual(["milestone '2.0'"]);
  });

  it('reads a project URL, and refuses others in one line', () => {
    expect(parseRedmineUrl('redmine:https://example.com/redmine/projects/web-site/')).toEqual({ server: 'https://example.com/redmine/', project: 'web-site' });
    expect(() => parseRedmineUrl('redmine:http://example.com/issues/4')).toThrow(/not a Redmine project URL/);
    expect(() => parseRedmineUrl('redmine:http://me:secret@example.com/projects/x')).toThrow(/carries no credentials/);
  });
});
