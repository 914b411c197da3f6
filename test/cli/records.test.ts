import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLine, Sandbox } from './helpers.js';

let s: Sandbox;
beforeEach(() => {
  s = new Sandbox();
  s.ok(['init']);
});
afterEach(() => s.cleanup());

interface Shown {
  type: string;
  luid: number;
  uuid: string;
  props: Record<string, string>;
}

describe('init', () => {
  it('creates a replica once; a second init fails and says so', () => {
    expect(s.json<{ records: { replica_uuid: string } }>(['info']).records.replica_uuid).toMatch(/^[0-9a-f-]{36}$/);
    const again = s.fails(['init']);
    expect(again.stderr).toMatch(/already exists/);
    expect(oneLine(again.stderr)).toBe(true);
  });
});

describe('create, show, update, delete (t/create.t, t/cli.t)', () => {
  it('creates a record and reports its local id and uuid', () => {
    const out = s.ok(['create', '--type', 'Bug', '--', 'summary=first bug', 'status=new']);
    expect(out).toMatch(/^Created Bug 1 \([0-9a-f-]{36}\)\n$/);
    const shown = s.json<Shown>(['show', '1']);
    expect(shown.props).toMatchObject({ summary: 'first bug', status: 'new', creator: 'alice@example.com' });
  });

  it('accepts new as create and the type before the command', () => {
    s.ok(['new', '--type', 'Bug', '--', 'a=1']);
    s.ok(['Bug', 'create', '--', 'a=2']);
    expect(s.json<Shown[]>(['search', '--type', 'Bug']).map((r) => r.props.a)).toEqual(['1', '2']);
  });

  it('shows name: value lines sorted by name', () => {
    const { uuid } = s.create('Bug', { zeta: 'z', alpha: 'a' });
    const lines = s.ok(['show', '1']).trimEnd().split('\n');
    expect(lines[0]).toBe(`id: 1 (${uuid})`);
    const names = lines.slice(1).map((l) => l.split(':')[0]);
    expect(names).toEqual([...names].sort());
    expect(lines).toContain('alpha: a');
  });

  it('finds a record by local id, uuid and uuid prefix, with every alias of each command', () => {
    const { uuid } = s.create('Bug', { summary: 'x' });
    for (const id of ['1', uuid, uuid.slice(0, 8)]) {
      for (const cmd of ['show', 'display']) expect(s.json<Shown>([cmd, id, '--type', 'Bug']).uuid).toBe(uuid);
    }
    expect(s.json<Shown>(['show', '--luid', '1']).uuid).toBe(uuid);
    expect(s.json<Shown>(['show', '--uuid', uuid]).luid).toBe(1);
    expect(s.ok(['edit', '1', '--', 'summary=y'])).toMatch(/updated/);
    expect(s.ok(['history', '1', '--type', 'Bug'])).toMatch(/"summary" changed from "x" to "y"/);
  });

  it('keeps local ids distinct and stable across updates (t/luid.t)', () => {
    const a = s.create('Bug', { n: '1' });
    const b = s.create('Task', { n: '2' });
    expect(b.luid).not.toBe(a.luid);
    s.ok(['update', String(a.luid), '--', 'n=3']);
    expect(s.json<Shown>(['show', a.uuid]).luid).toBe(a.luid);
  });

  it('updates only what changed, deletes a property with an empty value, and says when nothing changed', () => {
    s.create('Bug', { summary: 'x', status: 'new' });
    expect(s.json<{ changed: boolean; props: Record<string, string> }>(['update', '1', '--', 'status=', 'summary=x'])).toMatchObject({ changed: true });
    expect(s.json<Shown>(['show', '1']).props.status).toBeUndefined();
    expect(s.ok(['update', '1', '--', 'summary=x'])).toBe('No properties changed.\n');
  });

  it('deletes with delete, del and rm; a deleted record is not found', () => {
    for (const cmd of ['delete', 'del', 'rm']) {
      const { luid, uuid } = s.create('Bug', { summary: cmd });
      expect(s.ok([cmd, String(luid), '--type', 'Bug'])).toBe(`Bug ${luid} (${uuid}) deleted.\n`);
      expect(s.fails(['show', String(luid)]).stderr).toMatch(/no record with id/);
    }
    expect(s.json<Shown[]>(['search', '--type', 'Bug'])).toEqual([]);
  });
});

describe('record types (t/record-types.t)', () => {
  it('refuses an id of another type in show, update, delete and history, leaving the record unchanged', () => {
    s.create('Bug', { summary: 'x' });
    for (const args of [['show', '1'], ['update', '1', '--', 'summary=y'], ['delete', '1'], ['history', '1']]) {
      const r = s.fails([...args.slice(0, 2), '--type', 'Task', ...args.slice(2)]);
      expect(r.stderr).toBe("prophet: no Task with id '1' (it is a 'Bug')\n");
    }
    expect(s.json<Shown>(['show', '1']).props.summary).toBe('x');
  });
});

describe('history (t/history.t)', () => {
  it('lists create plus two updates as three changesets, oldest first', () => {
    s.create('Bug', { summary: 'a' });
    s.ok(['update', '1', '--', 'summary=b']);
    s.ok(['update', '1', '--', 'status=open']);
    const h = s.json<{ changesets: Array<{ sequence_no: number; change_type: string }> }>(['history', '1']);
    expect(h.changesets.map((c) => [c.sequence_no, c.change_type])).toEqual([[1, 'add'], [2, 'update'], [3, 'update']]);
    const text = s.ok(['history', '1']);
    expect(text).toMatch(/\nchangeset 1 by alice@example.com at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \(1@[0-9a-f-]{36}\) \[verified\]\n {2}\+ "creator" set to "alice@example.com"\n/);
    expect(text).toMatch(/\n {2}> "summary" changed from "a" to "b"\.\n/);
    expect(text).toMatch(/\+ "status" set to "open"/);
  });
});

describe('versioned: show --as-of, diff, undo', () => {
  beforeEach(() => {
    s.create('Bug', { summary: 'a', status: 'new' });
    s.ok(['update', '1', '--', 'status=open', 'summary=b']);
  });

  it('shows the record as it was after a changeset', () => {
    expect(s.json<Shown>(['show', '1', '--as-of', '1']).props).toMatchObject({ summary: 'a', status: 'new' });
    expect(s.ok(['show', '1', '--as-of', '1'])).toMatch(/as of changeset 1\n[^]*status: new/);
    s.ok(['delete', '1']);
    expect(s.json<Shown>(['show', '1', '--as-of', '2']).props.status).toBe('open');
    expect(s.fails(['show', '1', '--as-of', '9']).stderr).toMatch(/there is no changeset 9/);
  });

  it('diffs a record with how it was', () => {
    const d = s.json<{ differences: Array<{ name: string; then: string; now: string }> }>(['diff', '1', '--since', '1']);
    expect(d.differences).toEqual([
      { name: 'status', then: 'new', now: 'open' },
      { name: 'summary', then: 'a', now: 'b' },
    ]);
    expect(s.ok(['diff', '1', '--since', '1'])).toMatch(/> "status" changed from "new" to "open"\./);
    expect(s.ok(['diff', '1', '--since', '2'])).toMatch(/has not changed since changeset 2/);
    expect(s.fails(['diff', '1']).stderr).toMatch(/add --since N/);
  });

  it('diffs a deleted record: what it had then', () => {
    s.ok(['delete', '1']);
    const d = s.json<{ now: { live: boolean }; differences: Array<{ name: string; then: string; now: string | null }> }>(['diff', '1', '--since', '2']);
    expect(d.now.live).toBe(false);
    expect(d.differences).toContainEqual({ name: 'summary', then: 'b', now: null });
    expect(s.ok(['diff', '1', '--since', '2'])).toMatch(/deleted since changeset 2; it then had:\n[^]*- "summary" "b" deleted\./);
  });

  it('undoes a changeset, refuses when a later change would be lost, and forces', () => {
    expect(s.ok(['undo', '2'])).toBe('Undid changeset 2 with changeset 3.\n');
    expect(s.json<Shown>(['show', '1']).props).toMatchObject({ summary: 'a', status: 'new' });
    s.ok(['update', '1', '--', 'status=closed']);
    const refused = s.fails(['undo', '3']);
    expect(refused.stderr).toMatch(/cannot undo changeset 3: .*use --force/);
    expect(s.json<Shown>(['show', '1']).props.status).toBe('closed');
    s.ok(['undo', '3', '--force']);
    expect(s.json<Shown>(['show', '1']).props.status).toBe('open');
    expect(s.fails(['undo']).code).toBe(2);
  });

  it('undoing a create deletes the record', () => {
    s.ok(['undo', '1', '--force']);
    expect(s.json<Shown[]>(['search', '--type', 'Bug'])).toEqual([]);
  });
});

describe('info', () => {
  it('describes the records and resolution databases', () => {
    s.create('Bug', { summary: 'a' });
    const info = s.json<{ location: string; records: { changesets: number; types: Record<string, number> }; resolutions: { changesets: number } }>(['info']);
    expect(info.location).toBe(`${s.repo}/db.sqlite`);
    expect(info.records).toMatchObject({ changesets: 1, types: { Bug: 1 } });
    expect(info.resolutions.changesets).toBe(0);
    expect(s.ok(['info'])).toMatch(/^Records database\n {2}location: +.*db\.sqlite \(SQLite\)\n[^]*record types: +Bug \(1\), __prophet_key \(1\)\n\nResolution database\n/);
  });
});
