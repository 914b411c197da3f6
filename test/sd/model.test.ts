import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/prophet/model/errors.js';
import { history } from '../../src/prophet/replica/history.js';
import { SETTINGS_TYPE } from '../../src/prophet/replica/replica.js';
import { setSetting } from '../../src/prophet/replica/settings.js';
import {
  ATTACHMENT,
  COMMENT,
  TICKET,
  attachmentBytes,
  attachmentProperties,
  deleteTicket,
  findTickets,
  initSdReplica,
  openSdReplica,
  parseDue,
  readSdSettings,
  ticketAttachments,
  ticketComments,
} from '../../src/sd/model/index.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';

function newSd(email = 'alice@example.com') {
  return initSdReplica(join(tempDir('sd-model-'), 'replica'), { env: testEnv(email) });
}

describe('settings', () => {
  it('are created at init as synced records with the original fixed uuids', () => {
    const sd = newSd();
    const statuses = sd.get('24183c4d-efd0-4b16-a207-ed7598e875e6', SETTINGS_TYPE);
    expect(JSON.parse(statuses.props.content!)).toEqual(['new', 'open', 'stalled', 'closed', 'rejected']);
    const s = readSdSettings(sd);
    expect(s.defaultStatus).toBe('new');
    expect(s.activeStatuses).toEqual(['new', 'open']);
    expect(s.projectName).toBe('Your SD Project');
    expect(s.propDescriptions.summary).toMatch(/one-line summary/);
  });

  it('are read afresh, not cached, so a changed list validates at once', () => {
    const sd = newSd();
    expect(() => sd.create(TICKET, { summary: 'x', status: 'blocked' })).toThrow(ValidationError);
    setSetting(sd, 'statuses', ['new', 'blocked', 'closed']);
    expect(sd.create(TICKET, { summary: 'x', status: 'blocked' }).luid).toBeGreaterThan(0);
  });
});

describe('tickets', () => {
  it('get defaults from settings, the reporter from the identity and a creation time', () => {
    const sd = newSd('bob@example.com');
    const { uuid } = sd.create(TICKET, { summary: 'Crash on start' });
    const t = sd.get(uuid, TICKET).props;
    expect(t).toMatchObject({ status: 'new', milestone: 'alpha', component: 'core', reporter: 'bob@example.com', creator: 'bob@example.com', original_replica: sd.uuid });
    expect(t.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('store resolved as closed', () => {
    const sd = newSd();
    const { uuid } = sd.create(TICKET, { summary: 's', status: 'resolved' });
    expect(sd.get(uuid).props.status).toBe('closed');
    sd.update(TICKET, uuid, { status: 'open' });
    sd.update(TICKET, uuid, { status: 'resolved' });
    expect(sd.get(uuid).props.status).toBe('closed');
  });

  it('reject values outside the settings lists, all errors at once, unless forced with !', () => {
    const sd = newSd();
    let error: unknown;
    try {
      sd.create(TICKET, { summary: 's', status: 'super', milestone: 'omega', component: 'ui' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).errors).sort()).toEqual(['milestone', 'status']);
    expect((error as Error).message).toMatch(/Validation error for 'status': 'super' is not one of 'new', 'open'/);
    const { uuid } = sd.create(TICKET, { summary: 's', status: 'super!' });
    expect(sd.get(uuid).props.status).toBe('super');
  });

  it('refuse an empty status on update', () => {
    const sd = newSd();
    const { uuid } = sd.create(TICKET, { summary: 's' });
    expect(() => sd.update(TICKET, uuid, { status: '' })).toThrow(/must have a status/);
  });

  it('parse due dates from words and store ISO dates; reject what is not a date', () => {
    const sd = newSd();
    const { uuid } = sd.create(TICKET, { summary: 's', due: 'next friday' });
    const due = sd.get(uuid).props.due!;
    expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${due}T12:00:00`).getDay()).toBe(5);
    expect(new Date(`${due}T12:00:00`).getTime()).toBeGreaterThan(Date.now());
    sd.update(TICKET, uuid, { due: '2030-01-02' });
    expect(sd.get(uuid).props.due).toBe('2030-01-02');
    expect(() => sd.update(TICKET, uuid, { due: 'whenever' })).toThrow(/'whenever' is not a date/);
    expect(parseDue('tomorrow at 3pm', new Date(2026, 0, 10, 9))).toBe('2026-01-11 15:00');
  });

  it('keep any other property', () => {
    const sd = newSd();
    const { uuid } = sd.create(TICKET, { summary: 's', tags: 'sync ui', description: 'long', priority: 'high', 'rt-id': '42' });
    expect(sd.get(uuid).props).toMatchObject({ tags: 'sync ui', description: 'long', priority: 'high', 'rt-id': '42' });
  });

  it('list only active ones by default; filters and regex replace that', () => {
    const sd = newSd();
    sd.create(TICKET, { summary: 'a' });
    sd.create(TICKET, { summary: 'b', status: 'open' });
    sd.create(TICKET, { summary: 'c', status: 'closed' });
    expect(findTickets(sd).map((t) => t.props.summary)).toEqual(['a', 'b']);
    expect(findTickets(sd, { regex: '.' }).map((t) => t.props.summary)).toEqual(['a', 'b', 'c']);
    expect(findTickets(sd, { criteria: [{ prop: 'status', cmp: '=', value: 'closed' }] }).map((t) => t.props.summary)).toEqual(['c']);
  });
});

describe('comments and attachments', () => {
  it('link to a ticket by uuid, given its local id', () => {
    const sd = newSd();
    const t = sd.create(TICKET, { summary: 's' });
    const c = sd.create(COMMENT, { ticket: String(t.luid), content: 'first!' });
    expect(sd.get(c.uuid).props.ticket).toBe(t.uuid);
    expect(ticketComments(sd, t.uuid).map((x) => x.props.content)).toEqual(['first!']);
  });

  it('refuse a missing ticket and empty text', () => {
    const sd = newSd();
    expect(() => sd.create(COMMENT, { ticket: '999', content: 'x' })).toThrow(/there is no ticket '999'/);
    const t = sd.create(TICKET, { summary: 's' });
    expect(() => sd.create(COMMENT, { ticket: t.uuid, content: '  ' })).toThrow(/needs some text/);
    expect(() => sd.create(ATTACHMENT, { name: 'a.txt' })).toThrow(/must belong to a ticket/);
  });

  it('store any bytes exactly, with a detected content type and size', async () => {
    const sd = newSd();
    const t = sd.create(TICKET, { summary: 's' });
    const bytes = Buffer.concat([Buffer.from([0, 0, 255, 0x0a, 0x0d]), randomBytes(4096), Buffer.from([0])]);
    const props = await attachmentProperties(bytes, '/some/dir/blob.bin');
    const a = sd.create(ATTACHMENT, { ...props, ticket: t.uuid });
    const stored = sd.get(a.uuid).props;
    expect(attachmentBytes(stored).equals(bytes)).toBe(true);
    expect(stored).toMatchObject({ name: 'blob.bin', size: String(bytes.length), content_type: 'application/octet-stream' });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    expect((await attachmentProperties(png, 'noext')).content_type).toBe('image/png');
    expect((await attachmentProperties(Buffer.from('a,b\n'), 'x.csv')).content_type).toBe('text/csv');
    expect((await attachmentProperties(Buffer.from('hello'), 'README')).content_type).toBe('text/plain');
    expect(ticketAttachments(sd, t.uuid).map((x) => x.uuid)).toEqual([a.uuid]);
  });

  it('read text content from peers that stored it unencoded', () => {
    expect(attachmentBytes({ content: 'héllo' }).toString('utf8')).toBe('héllo');
  });
});

describe('deleting a ticket', () => {
  function ticketWithDependents() {
    const sd = newSd();
    const t = sd.create(TICKET, { summary: 's' });
    const c = sd.create(COMMENT, { ticket: t.uuid, content: 'c' });
    const a = sd.create(ATTACHMENT, { ticket: t.uuid, name: 'a.txt', content: 'x' });
    return { sd, t, c, a };
  }

  it('with delete removes its comments and attachments in the same changeset', () => {
    const { sd, t, c, a } = ticketWithDependents();
    const result = deleteTicket(sd, String(t.luid), 'delete');
    expect(result).toMatchObject({ comments: 1, attachments: 1 });
    expect(() => sd.get(c.uuid)).toThrow();
    expect(() => sd.get(a.uuid)).toThrow();
    const last = history(sd, t.uuid).at(-1)!.changeset;
    expect(Object.keys(last.changes).sort()).toEqual([t.uuid, c.uuid, a.uuid].sort());
  });

  it('with keep leaves them, still naming the ticket', () => {
    const { sd, t, c } = ticketWithDependents();
    deleteTicket(sd, t.uuid, 'keep');
    expect(() => sd.get(t.uuid, TICKET)).toThrow();
    expect(sd.get(c.uuid).props.ticket).toBe(t.uuid);
  });
});

describe('reopening', () => {
  it('binds the hooks to the opened replica', () => {
    const sd = newSd();
    const root = sd.root;
    sd.close();
    const again = openSdReplica(root, { env: testEnv() });
    expect(() => again.create(TICKET, { summary: 's', status: 'nope' })).toThrow(ValidationError);
  });
});
