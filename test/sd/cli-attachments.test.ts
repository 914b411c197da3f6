import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createdId, sdUser, sdUserWithReplica } from './sd-cli.js';

describe('attachments', () => {
  it('round-trip any bytes exactly, NULs and invalid UTF-8 included', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    const bytes = Buffer.concat([Buffer.from([0, 0, 0xff, 0xfe, 0x0d, 0x0a, 0x80]), randomBytes(200_000), Buffer.from([0])]);
    const file = join(u.home, 'core.dump');
    writeFileSync(file, bytes);
    const a = createdId(u.ok(['ticket', 'attachment', 'create', luid, '-f', file]));
    const r = u.sd(['ticket', 'attachment', 'content', a.luid]);
    expect(r.code).toBe(0);
    expect(r.bytes.equals(bytes)).toBe(true);
    expect(u.sd(['attachment', 'content', a.uuid]).bytes.equals(bytes)).toBe(true);
    const shown = u.ok(['ticket', 'attachment', 'show', a.luid]);
    expect(shown).toMatch(/^name: core\.dump$/m);
    expect(shown).toMatch(new RegExp(`^size: ${bytes.length}$`, 'm'));
    expect(shown).toMatch(/^content_type: application\/octet-stream$/m);
    expect(shown).not.toMatch(/^content:/m);
  });

  it('detect content types from magic bytes and names', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    const png = join(u.home, 'screenshot');
    writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'));
    const csv = join(u.home, 'data.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    u.ok(['ticket', 'attachment', 'create', luid, '-f', png]);
    u.ok(['ticket', 'attachment', 'create', luid, '-f', csv]);
    const list = u.ok(['ticket', 'attachment', 'list', luid]);
    expect(list).toMatch(/screenshot image\/png 33 bytes/);
    expect(list).toMatch(/data\.csv text\/csv 8 bytes/);
    const json = JSON.parse(u.ok(['ticket', 'attachment', 'list', luid, '--json']));
    expect(json.map((a: { props: { content_type: string } }) => a.props.content_type)).toEqual(['image/png', 'text/csv']);
  });

  it('take content from --content or standard input; list per ticket or all; rename', () => {
    const u = sdUserWithReplica();
    const t1 = createdId(u.ok(['ticket', 'create', '--', 'summary=one']));
    const t2 = createdId(u.ok(['ticket', 'create', '--', 'summary=two']));
    const a = createdId(u.ok(['ticket', 'attachment', 'create', t1.luid, '--content', 'hello', '--name', 'hello.txt']));
    u.ok(['ticket', 'attachment', 'create', t2.luid, '--name', 'piped.bin'], { input: Buffer.from([1, 0, 2]) });
    expect(u.ok(['ticket', 'attachment', 'content', a.luid])).toBe('hello');
    expect(u.ok(['ticket', 'attachment', 'list', t1.luid]).trim().split('\n')).toHaveLength(1);
    expect(u.ok(['attachment', 'list']).trim().split('\n')).toHaveLength(2);
    u.ok(['ticket', 'attachment', 'update', a.luid, '--', 'name=greeting.txt']);
    expect(u.ok(['ticket', 'attachment', 'show', a.luid])).toMatch(/^name: greeting\.txt$/m);
    expect(u.sd(['ticket', 'attachment', 'update', a.luid, '--', 'content=x']).stderr).toMatch(/only name and content_type/);
    const missing = u.sd(['ticket', 'attachment', 'create', '999', '--content', 'x']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no ticket has the local id 999/);
  });
});

describe('sd demo', () => {
  it('works with no replica, no config and no email, and prints a tour', () => {
    const u = sdUser(null);
    const r = u.sd(['demo'], { env: { SD_REPO: '' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\$ sd ticket list\n\d+ Can't sync sd with Google Code new/);
    expect(r.stdout).toMatch(/= ATTACHMENTS\n\n\d+ pixel\.png image\/png/);
    expect(r.stdout).toMatch(/status: changed from new to closed/);
    const repo = /export SD_REPO=(\S+)/.exec(r.stdout)![1]!;
    const pixel = /sd ticket attachment content (\d+) > pixel\.png/.exec(r.stdout)![1]!;
    const content = u.sd(['ticket', 'attachment', 'content', pixel], { env: { SD_REPO: repo } });
    expect(content.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const created = u.ok(['ticket', 'create', '--summary', 'mine'], { env: { SD_REPO: repo } });
    expect(created).toMatch(/Created ticket/);
  });
});
