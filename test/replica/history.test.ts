import { describe, expect, it } from 'vitest';
import { changeSeqs, diffSince, history, parseLogRange, recordAsOf } from '../../src/prophet/replica/history.js';
import { undo } from '../../src/prophet/replica/undo.js';
import { newReplica } from '../helpers/temp-replica.js';

describe('history', () => {
  it('lists create plus two updates as three changesets, oldest first, with old and new values', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { status: 'new' });
    r.update('Bug', uuid, { status: 'open' });
    r.update('Bug', uuid, { status: 'closed' });
    const h = history(r, uuid);
    expect(h.map((e) => e.change.change_type)).toEqual(['add', 'update', 'update']);
    expect(h.map((e) => e.change.prop_changes.status)).toEqual([
      expect.objectContaining({ old_value: null, new_value: 'new' }),
      expect.objectContaining({ old_value: 'new', new_value: 'open' }),
      expect.objectContaining({ old_value: 'open', new_value: 'closed' }),
    ]);
    expect(h.every((e) => e.changeset.creator === 'alice@example.com')).toBe(true);
    // The same changesets' numbers, without reading them.
    expect(changeSeqs(r, r.get(uuid, 'Bug').luid)).toEqual(h.map((e) => e.changeset.sequence_no));
  });

  it('includes the deletion', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { status: 'new' });
    r.delete('Bug', uuid);
    expect(history(r, uuid).map((e) => e.change.change_type)).toEqual(['add', 'delete']);
  });
});

describe('as of a changeset, and diff', () => {
  it('shows a record as it was at any point and what changed since', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { status: 'new', summary: 's' });
    r.create('Bug', { status: 'other' });
    r.update('Bug', uuid, { status: 'open', owner: 'ann' });
    r.delete('Bug', uuid);
    expect(recordAsOf(r, uuid, 1)).toEqual({ live: true, props: expect.objectContaining({ status: 'new', summary: 's' }) });
    expect(recordAsOf(r, uuid, 2).props.status).toBe('new');
    expect(recordAsOf(r, uuid, 3).props).toMatchObject({ status: 'open', owner: 'ann' });
    expect(recordAsOf(r, uuid, 4).live).toBe(false);
    const d = diffSince(r, uuid, 1);
    expect(d.differences).toEqual([
      { name: 'owner', then: null, now: 'ann' },
      { name: 'status', then: 'new', now: 'open' },
    ]);
    expect(d.now.live).toBe(false);
  });
});

describe('undo', () => {
  it('reverses an update with a new changeset', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { status: 'new' });
    r.update('Bug', uuid, { status: 'open', owner: 'ann' });
    const cs = undo(r, 2)!;
    expect(cs.sequence_no).toBe(3);
    expect(r.get(uuid).props.status).toBe('new');
    expect(r.get(uuid).props).not.toHaveProperty('owner');
  });

  it('undoes a create by deleting, and a delete by restoring every property', () => {
    const r = newReplica();
    const { uuid, luid } = r.create('Bug', { status: 'new', summary: 'x' });
    r.delete('Bug', uuid);
    undo(r, 2);
    expect(r.get(uuid)).toMatchObject({ luid, props: { status: 'new', summary: 'x' } });
    undo(r, 1, { force: true });
    expect(() => r.get(uuid)).toThrow(/no record/);
  });

  it('refuses when a later change would be overwritten, unless forced', () => {
    const r = newReplica();
    const { uuid } = r.create('Bug', { status: 'new' });
    r.update('Bug', uuid, { status: 'open' });
    r.update('Bug', uuid, { status: 'closed' });
    expect(() => undo(r, 2)).toThrow(/cannot undo changeset 2: 'status' .* was changed again later; use --force/);
    expect(r.get(uuid).props.status).toBe('closed');
    expect(r.latestSequenceNo()).toBe(3);
    undo(r, 2, { force: true });
    expect(r.get(uuid).props.status).toBe('new');
  });

  it('names a changeset that does not exist', () => {
    const r = newReplica();
    expect(() => undo(r, 9)).toThrow(/there is no changeset 9/);
  });
});

describe('log ranges', () => {
  it('parses N, LATEST, LATEST~k and A..B', () => {
    expect(parseLogRange('5', 30)).toEqual({ from: 5, to: 5 });
    expect(parseLogRange('LATEST', 30)).toEqual({ from: 30, to: 30 });
    expect(parseLogRange('LATEST~5', 30)).toEqual({ from: 25, to: 25 });
    expect(parseLogRange('0..20', 30)).toEqual({ from: 1, to: 20 });
    expect(parseLogRange('LATEST~8..50', 30)).toEqual({ from: 22, to: 30 });
    expect(parseLogRange('0..LATEST~5', 30)).toEqual({ from: 1, to: 25 });
  });

  it('rejects malformed and backwards ranges', () => {
    expect(() => parseLogRange('abc', 3)).toThrow(/invalid log range 'abc'/);
    expect(() => parseLogRange('1..2..3', 3)).toThrow(/invalid log range/);
    expect(() => parseLogRange('5..2', 9)).toThrow(/START must not be after END/);
  });
});
