/**
 * What a terminal user expects: colour that follows NO_COLOR, FORCE_COLOR,
 * TERM=dumb and --no-color; a pager that can be turned off or chosen;
 * aligned list columns; typing an attachment; times one way everywhere.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../helpers/terminal.js';
import { createdId, sdUserWithReplica, SD_BIN } from '../../sd/sd-cli.js';

const ESC = '\x1b[';

describe('colour', () => {
  it('follows FORCE_COLOR, NO_COLOR and --no-color when piped', () => {
    const user = sdUserWithReplica();
    user.ok(['ticket', 'create', '--summary', 'x']);
    expect(user.ok(['log'])).not.toContain(ESC);
    expect(user.ok(['log'], { env: { FORCE_COLOR: '1' } })).toContain(ESC);
    expect(user.ok(['log'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).not.toContain(ESC);
    expect(user.ok(['log', '--no-color'], { env: { FORCE_COLOR: '1' } })).not.toContain(ESC);
  });

  it('colours a terminal, but not one whose TERM is dumb', async () => {
    const user = sdUserWithReplica();
    user.ok(['ticket', 'create', '--summary', 'x']);
    const coloured = new Terminal([process.execPath, SD_BIN, 'log'], user.env, user.home);
    await coloured.waitFor(/EXIT=0/);
    expect(coloured.screen(true)).toContain(ESC);
    const dumb = new Terminal(['env', 'TERM=dumb', process.execPath, SD_BIN, 'log'], user.env, user.home);
    await dumb.waitFor(/EXIT=0/);
    expect(dumb.screen(true).replaceAll(`${ESC}0m`, '').replaceAll(`${ESC}m`, '')).not.toContain(ESC);
  });
});

describe('pager and list columns on a terminal', () => {
  it('pages a long ticket through core.pager or $PAGER, and not with --no-pager', async () => {
    const user = sdUserWithReplica();
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'long']));
    for (let i = 0; i < 3; i++) user.ok(['ticket', 'comment', luid, '-m', `note ${i}`]);
    const pager = (mark: string) => {
      const script = join(user.home, `${mark}.sh`);
      writeFileSync(script, `#!/bin/sh\necho ${mark}; cat >/dev/null\n`, { mode: 0o755 });
      return script;
    };
    const env = { ...user.env, PAGER: pager('FROM-PAGER-ENV') };
    const viaEnv = new Terminal([process.execPath, SD_BIN, 'ticket', 'show', luid], env, user.home, 100, 12);
    expect(await viaEnv.waitFor(/EXIT=0/)).toContain('FROM-PAGER-ENV');
    const none = new Terminal([process.execPath, SD_BIN, 'ticket', 'show', luid, '--no-pager'], env, user.home, 100, 200);
    const plain = await none.waitFor(/EXIT=0/);
    expect(plain).not.toContain('FROM-PAGER-ENV');
    expect(plain).toContain('note 2');
    user.ok(['config', 'set', 'core.pager', pager('FROM-CONFIG')]);
    const viaConfig = new Terminal([process.execPath, SD_BIN, 'ticket', 'show', luid], env, user.home, 100, 12);
    expect(await viaConfig.waitFor(/EXIT=0/)).toContain('FROM-CONFIG');
  });

  it('lists tickets in aligned columns under a header', async () => {
    const user = sdUserWithReplica();
    user.ok(['ticket', 'create', '--summary', 'a short one']);
    user.ok(['ticket', 'create', '--summary', 'a much longer summary than that', '--status', 'open']);
    const term = new Terminal([process.execPath, SD_BIN, 'ticket', 'list', '--no-color'], user.env, user.home);
    const screen = await term.waitFor(/EXIT=0/);
    const rows = screen.split('\n').filter((l) => /^(ID|\d+)\s/.test(l));
    expect(rows[0]).toMatch(/^ID\s+SUMMARY\s+STATUS$/);
    const statusColumn = rows.map((r) => r.search(/(STATUS|new|open)$/));
    expect(new Set(statusColumn).size).toBe(1);
    // Piped, one ticket a line as before: scripts read it.
    expect(user.ok(['ticket', 'list'])).toMatch(/^\d+ a short one new$/m);
  });
});

describe('an attachment typed at the keyboard', () => {
  it('is read until ctrl-d, not refused with EAGAIN', async () => {
    const user = sdUserWithReplica();
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'x']));
    const term = new Terminal([process.execPath, SD_BIN, 'ticket', 'attachment', 'create', luid], user.env, user.home);
    await term.waitFor(/press ctrl-d/);
    term.typeLine('typed by hand');
    term.press('C-d');
    const screen = await term.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/Created attachment \d+/);
    const list = JSON.parse(user.ok(['ticket', 'attachment', 'list', luid, '--json'])) as Array<{ luid: number }>;
    expect(user.ok(['attachment', 'content', String(list[0]!.luid)])).toBe('typed by hand\n');
  });
});

describe('times', () => {
  it('are local time with the zone for people and ISO 8601 in --json', () => {
    const user = sdUserWithReplica();
    const env = { TZ: 'Asia/Kolkata' };
    const { luid } = createdId(user.ok(['ticket', 'create', '--summary', 'x']));
    const shown = user.ok(['ticket', 'show', luid, '--no-pager'], { env });
    expect(shown).toMatch(/created: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0530/);
    expect(shown).toMatch(/at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0530/);
    expect(user.ok(['log', '-n', '1'], { env })).toMatch(/^changeset \d+ by alice@example\.com at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0530 /);
    const json = JSON.parse(user.ok(['ticket', 'show', luid, '--json'], { env }));
    expect(json.props.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(json.history[0].created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
