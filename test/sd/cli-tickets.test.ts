import { describe, expect, it } from 'vitest';
import { createdId, sdUser, sdUserWithReplica } from './sd-cli.js';

describe('the 2008 talk, typed as shown', () => {
  it('creates, searches, resolves by uuid and searches again', () => {
    const u = sdUserWithReplica();
    const created = u.ok(['ticket', 'create', '--summary', "Can't sync sd with Google Code", '--status', 'new']);
    expect(created).toMatch(/^Created ticket \d+ \([0-9a-f-]{36}\)$/m);
    const { luid, uuid } = createdId(created);
    expect(u.ok(['ticket', 'search', '--regex', '.'])).toBe(`${luid} Can't sync sd with Google Code new\n`);
    expect(u.ok(['ticket', 'update', '--uuid', uuid, '--status', 'resolved'])).toMatch(/updated/);
    expect(u.ok(['ticket', 'search', '--regex', '.'])).toBe(`${luid} Can't sync sd with Google Code closed\n`);
  });
});

describe('ticket create and update', () => {
  it('takes properties after -- and fills defaults (basics --batch)', () => {
    const u = sdUserWithReplica('bob@example.com');
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=YATTA']));
    expect(u.ok(['ticket', 'list', '--regex', '.'])).toBe(`${luid} YATTA new\n`);
    const basics = u.ok(['ticket', 'basics', luid, '--batch']);
    expect(basics).toMatch(new RegExp(`^id: ${luid} \\(`, 'm'));
    expect(basics).toMatch(/^status: new$/m);
    expect(basics).toMatch(/^milestone: alpha$/m);
    expect(basics).toMatch(/^component: core$/m);
    expect(basics).toMatch(/^reporter: bob@example.com$/m);
  });

  it('reports every validation error at once, with the bypass hint, and creates nothing', () => {
    const u = sdUserWithReplica();
    const r = u.sd(['ticket', 'create', '--', 'summary=x', 'status=super', 'component=kernel']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Validation error for 'status': 'super' is not one of 'new', 'open', 'stalled', 'closed', 'rejected'/);
    expect(r.stderr).toMatch(/Validation error for 'component': 'kernel' is not one of 'core', 'ui', 'docs', 'tests'/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(u.ok(['ticket', 'list', '--regex', '.'])).toBe('');
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=x', 'status=super!']));
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(/^status: super$/m);
    createdId(u.ok(['ticket', 'create', '--', 'summary=y', 'status=stalled']));
    const empty = u.sd(['ticket', 'update', luid, '--', 'status=']);
    expect(empty.stderr).toMatch(/must have a status/);
  });

  it('updates: unchanged properties report no change; an empty value deletes', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s', 'owner=x@example.com']));
    expect(u.ok(['ticket', 'update', luid, '--', 'summary=s'])).toBe('No properties changed.\n');
    expect(u.ok(['ticket', 'update', luid, '--', 'owner='])).toMatch(new RegExp(`^Ticket ${luid} \\(.*\\) updated.$`, 'm'));
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).not.toMatch(/owner/);
  });

  it('parses due dates in words', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--summary', 'd', '--due', 'next friday']));
    const due = /^due: (\S+)$/m.exec(u.ok(['ticket', 'basics', luid, '--batch']))![1]!;
    expect(new Date(`${due}T12:00:00`).getDay()).toBe(5);
  });
});

describe('shortcuts', () => {
  it('resolve, close, claim, take, give, assign', () => {
    const u = sdUserWithReplica('carol@example.com');
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    const prop = (p: string) => new RegExp(`^${p}$`, 'm');
    u.ok(['ticket', 'claim', luid]);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(prop('owner: carol@example.com'));
    u.ok(['ticket', 'give', luid, 'dave@example.com']);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(prop('owner: dave@example.com'));
    u.ok(['ticket', 'take', luid]);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(prop('owner: carol@example.com'));
    u.ok(['ticket', 'assign', luid, 'erin@example.com']);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(prop('owner: erin@example.com'));
    u.ok(['ticket', 'resolve', luid]);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(prop('status: closed'));
    u.ok(['ticket', 'update', luid, '--', 'status=open']);
    u.ok(['ticket', 'close', luid]);
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(prop('status: closed'));
    const bad = u.sd(['ticket', 'give', luid]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/usage: sd ticket give ID EMAIL/);
  });

  it('claim without an email says how to set one', () => {
    const u = sdUser(null);
    u.ok(['init', '-n']);
    const r = u.sd(['ticket', 'create', '--', 'summary=s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sd config user.email-address you@example.com/);
  });
});

describe('show, history, details', () => {
  it('show has metadata, attachments and history merged with comments', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=Show me']));
    u.ok(['ticket', 'comment', luid, '-m', 'a first comment']);
    u.ok(['ticket', 'update', luid, '--', 'status=open']);
    u.ok(['ticket', 'attachment', 'create', luid, '--content', 'log text', '--name', 'log.txt']);
    const out = u.ok(['ticket', 'show', luid]);
    const sections = ['= METADATA', '= ATTACHMENTS', '= HISTORY'].map((s) => out.indexOf(s));
    expect(sections.every((i, k) => i >= 0 && (k === 0 || i > sections[k - 1]!))).toBe(true);
    expect(out).toMatch(/^ {11}summary: Show me$/m);
    expect(out).toMatch(/log\.txt text\/plain 8 bytes/);
    const created = out.indexOf('summary: set to Show me');
    const comment = out.indexOf('a first comment');
    const changed = out.indexOf('status: changed from new to open');
    expect(created).toBeGreaterThan(0);
    expect(comment).toBeGreaterThan(created);
    expect(changed).toBeGreaterThan(comment);
    expect(u.ok(['ticket', 'show', luid, '--skip-history'])).not.toMatch(/= HISTORY/);
    u.ok(['config', 'ticket.no-implicit-history-display', 'true']);
    expect(u.ok(['ticket', 'show', luid])).not.toMatch(/= HISTORY/);
    expect(u.ok(['ticket', 'show', luid, '--with-history'])).toMatch(/= HISTORY/);
    const details = u.ok(['ticket', 'details', luid]);
    expect(details.match(/= METADATA/g)).toHaveLength(1);
    expect(details).toMatch(/= COMMENTS\n\nalice@example.com: .*\na first comment/);
    expect(u.ok(['ticket', 'history', luid])).toMatch(/status: changed from new to open/);
  });

  it('--json gives the ticket with comments, attachments and history', () => {
    const u = sdUserWithReplica();
    const { luid, uuid } = createdId(u.ok(['ticket', 'create', '--', 'summary=J']));
    u.ok(['ticket', 'comment', luid, '-m', 'c']);
    const shown = JSON.parse(u.ok(['ticket', 'show', luid, '--json']));
    expect(shown).toMatchObject({ uuid, props: { summary: 'J', status: 'new' }, comments: [{ props: { content: 'c' } }] });
    expect(shown.history.map((h: { kind: string }) => h.kind)).toEqual(['changeset', 'comment']);
    const listed = JSON.parse(u.ok(['ticket', 'list', '--json']));
    expect(listed).toEqual([{ luid: Number(luid), uuid, props: expect.objectContaining({ summary: 'J' }) }]);
  });
});

describe('list: filters, sort and group', () => {
  function tracker() {
    const u = sdUserWithReplica();
    u.ok(['ticket', 'create', '--', 'summary=b-ticket', 'milestone=beta', 'owner=zed']);
    u.ok(['ticket', 'create', '--', 'summary=a-ticket', 'milestone=1.0', 'status=open']);
    u.ok(['ticket', 'create', '--', 'summary=c-ticket', 'milestone=alpha', 'owner=amy']);
    u.ok(['ticket', 'create', '--', 'summary=d-ticket', 'status=closed']);
    return u;
  }
  const summaries = (out: string) => out.split('\n').filter((l) => /^\d+ /.test(l)).map((l) => l.split(' ')[1]);

  it('shows active tickets by default, in local id order; filters replace the default', () => {
    const u = tracker();
    expect(summaries(u.ok(['ticket', 'list']))).toEqual(['b-ticket', 'a-ticket', 'c-ticket']);
    expect(summaries(u.ok(['ticket', 'list', '--', 'status=closed']))).toEqual(['d-ticket']);
    expect(summaries(u.ok(['ticket', 'list', '--', 'owner', '=~', '^a']))).toEqual(['c-ticket']);
    expect(summaries(u.ok(['list', 'tickets']))).toEqual(['b-ticket', 'a-ticket', 'c-ticket']);
  });

  it('sorts by a property, tickets without it first unless sort-undef-last; none and blank', () => {
    const u = tracker();
    expect(summaries(u.ok(['ticket', 'list', '--sort', 'summary']))).toEqual(['a-ticket', 'b-ticket', 'c-ticket']);
    expect(summaries(u.ok(['ticket', 'list', '--sort', 'owner']))).toEqual(['a-ticket', 'c-ticket', 'b-ticket']);
    u.ok(['config', 'ticket.owner.sort-undef-last', 'true']);
    expect(summaries(u.ok(['ticket', 'list', '--sort', 'owner']))).toEqual(['c-ticket', 'b-ticket', 'a-ticket']);
    u.ok(['config', 'ticket.default-sort', 'summary']);
    expect(summaries(u.ok(['ticket', 'list']))).toEqual(['a-ticket', 'b-ticket', 'c-ticket']);
    expect(summaries(u.ok(['ticket', 'list', '--sort=']))).toEqual(['a-ticket', 'b-ticket', 'c-ticket']);
    expect(summaries(u.ok(['ticket', 'list', '--sort', 'none']))).toEqual(['b-ticket', 'a-ticket', 'c-ticket']);
  });

  it('groups with headings in milestone order, only when there is more than one group', () => {
    const u = tracker();
    const out = u.ok(['ticket', 'list', '--group', 'milestone']);
    expect(out).toBe(['', 'alpha', '=====', '', out.split('\n')[4], '', 'beta', '====', '', out.split('\n')[9], '', '1.0', '===', '', out.split('\n')[14], ''].join('\n'));
    expect(out.split('\n')[4]).toMatch(/c-ticket/);
    expect(u.ok(['ticket', 'list', '--group', 'component'])).not.toMatch(/===/);
    u.ok(['config', 'ticket.default-group', 'milestone']);
    expect(u.ok(['ticket', 'list'])).toMatch(/^alpha\n=====/m);
    const grouped = JSON.parse(u.ok(['ticket', 'list', '--json']));
    expect(grouped.map((g: { group: string }) => g.group)).toEqual(['alpha', 'beta', '1.0']);
  });

  it('uses ticket.summary-format', () => {
    const u = tracker();
    u.ok(['config', 'ticket.summary-format', '%s,$luid | %-10.10s,summary | [%s],owner']);
    expect(u.ok(['ticket', 'list'])).toMatch(/^\d+ b-ticket {3}\[zed\]$/m);
  });
});

describe('delete', () => {
  it('refuses to orphan comments silently; deletes or keeps them on request', () => {
    const u = sdUserWithReplica();
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    const comment = createdId(u.ok(['ticket', 'comment', luid, '-m', 'hi']));
    const refused = u.sd(['ticket', 'delete', luid]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/1 comment: add --with-comments .* or --keep-comments/);
    expect(u.ok(['ticket', 'delete', luid, '--with-comments'])).toMatch(/Deleted its 1 comment and 0 attachments/);
    expect(u.sd(['ticket', 'comment', 'show', comment.luid]).code).not.toBe(0);
    const other = createdId(u.ok(['ticket', 'create', '--', 'summary=t']));
    const kept = createdId(u.ok(['ticket', 'comment', other.luid, '-m', 'stay']));
    u.ok(['ticket', 'rm', other.luid, '--keep-comments']);
    expect(u.ok(['ticket', 'comment', 'show', kept.luid])).toMatch(/content: stay/);
    const lone = createdId(u.ok(['ticket', 'create', '--', 'summary=u']));
    expect(u.ok(['ticket', 'del', lone.luid])).toMatch(/deleted/);
  });

  it('keeps the history of a deleted ticket readable', () => {
    const u = sdUserWithReplica();
    const { luid, uuid } = createdId(u.ok(['ticket', 'create', '--', 'summary=gone']));
    u.ok(['ticket', 'delete', luid]);
    expect(u.sd(['ticket', 'show', luid]).stderr).toMatch(/no ticket with id/);
    expect(u.ok(['ticket', 'history', uuid])).toMatch(/summary: set to gone[^]*ticket: deleted/);
    expect(JSON.parse(u.ok(['ticket', 'history', luid, '--json']))).toHaveLength(2);
  });
});

describe('help, version, overview, errors', () => {
  it('sd alone prints a friendly overview, not an error', () => {
    const r = sdUser().sd([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sd demo/);
    expect(r.stdout).toMatch(/sd init --email/);
  });

  it('has a help page per topic and for commands', () => {
    const u = sdUser();
    for (const [topic, expected] of [['intro', /SD_REPO/], ['tickets', /ticket resolve/], ['attachments', /byte for byte/], ['sync', /sd pull/], ['summary-format', /\$luid/], ['environment', /SD_CONFIG/]] as const) {
      expect(u.ok(['help', topic])).toMatch(expected);
    }
    expect(u.ok(['?tickets'])).toMatch(/ticket resolve/);
    expect(u.ok(['help', 'ticket', 'create'])).toMatch(/^usage: sd ticket create/);
    const r = u.sd(['help', 'nonsense']);
    expect(r.stderr).toMatch(/Cannot find help on topic 'nonsense'/);
  });

  it('prints the version', () => {
    const u = sdUser();
    expect(u.ok(['version'])).toMatch(/^sd \d+\.\d+\.\d+$/m);
    expect(u.ok(['-V'])).toMatch(/^sd \d+\.\d+\.\d+$/m);
  });

  it('names the sub-commands of a group when one is missing or unknown', () => {
    const u = sdUserWithReplica();
    for (const [args, message] of [
      [['ticket'], "sd: 'ticket' needs a sub-command; try one of: create, update, show,"],
      [['ticket', 'frob', '3'], "sd: 'ticket frob' is not a sd command; try one of: create,"],
    ] as const) {
      const r = u.sd([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('says which option lacks a value instead of calling it unknown', () => {
    const u = sdUserWithReplica();
    const r = u.sd(['ticket', 'create', '--status', 'new', '--summary']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sd: --summary needs a value: --summary VALUE (or -- summary=VALUE)\n');
    expect(u.sd(['ticket', 'list', '--regex', '.']).stdout).toBe('');
    const give = u.sd(['ticket', 'give', '1']);
    expect(give.code).toBe(2);
    expect(give.stderr).toBe("sd: give a ticket id and the new owner's email (usage: sd ticket give ID EMAIL)\n");
  });

  it('takes global options before the command', () => {
    const u = sdUserWithReplica();
    u.ok(['ticket', 'create', '--', 'summary=first']);
    expect(JSON.parse(u.ok(['--repo', u.repo, '--json', 'ticket', 'list']))).toHaveLength(1);
  });

  it('says how to create a replica when there is none', () => {
    const r = sdUser().sd(['ticket', 'list']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/sd init/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('init without an email prints a way to set one that works as typed', () => {
    const u = sdUser(null);
    const r = u.sd(['init']);
    const hint = /set one with: sd (config .*) \(or set \$EMAIL\)/.exec(r.stderr);
    expect(hint).not.toBeNull();
    u.ok(hint![1]!.replace('you@example.com', 'hint@example.com').split(' '));
    expect(createdId(u.ok(['ticket', 'create', '--', 'summary=s'])).luid).toBe('1');
    expect(u.ok(['ticket', 'basics', '1', '--batch'])).toMatch(/reporter: hint@example.com/);
  });

  it('init --email records the identity in the replica', () => {
    const u = sdUser(null);
    u.ok(['init', '--email', 'zoe@example.com']);
    expect(u.ok(['config', 'user.email-address'])).toMatch(/zoe@example.com/);
    const { luid } = createdId(u.ok(['ticket', 'create', '--', 'summary=s']));
    expect(u.ok(['ticket', 'basics', luid, '--batch'])).toMatch(/^reporter: zoe@example.com$/m);
  });
});
