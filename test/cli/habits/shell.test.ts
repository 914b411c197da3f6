/** `sd shell`: commands at a prompt, with line editing and a history that outlives the session. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../helpers/terminal.js';
import { sdUserWithReplica, SD_BIN } from '../../sd/sd-cli.js';


describe('sd shell', () => {
  it('runs commands, edits the line, recalls history, and keeps it for the next session', async () => {
    const user = sdUserWithReplica();
    const shell = new Terminal([process.execPath, SD_BIN, 'shell'], user.env, user.home);
    await shell.waitFor(/^sd>\s*$/m);
    shell.typeLine('ticket create --summary "made in the shell"');
    await shell.waitFor(/Created ticket \d+/);
    // Line editing: ctrl-u drops the line, backspace a slip, ctrl-w the last word.
    shell.type('nonsense');
    shell.press('C-u');
    shell.type('ticket lxx');
    shell.press('BSpace', 'BSpace');
    shell.type('ist --wrong');
    shell.press('C-w', 'C-w');
    shell.type('--no-pager');
    shell.press('Enter');
    await shell.waitFor(/^1 +made in the shell +new$/m);
    // History: up twice is the create again.
    shell.press('Up', 'Up', 'Enter');
    await shell.waitFor(/Created ticket \d+[\s\S]*Created ticket \d+/);
    shell.typeLine('exit');
    await shell.waitFor(/EXIT=0/);
    expect(readFileSync(join(user.home, '.sd_history'), 'utf8')).toContain('ticket list');

    const again = new Terminal([process.execPath, SD_BIN, 'shell'], user.env, user.home);
    await again.waitFor(/^sd>\s*$/m);
    again.press('Up');
    await again.waitFor(/sd> ticket create --summary "made in the shell"$/m);
    again.press('C-u');
    again.press('C-d');
    await again.waitFor(/EXIT=0/);
    expect(user.ok(['ticket', 'list']).match(/made in the shell/g)).toHaveLength(2);
  }, 300_000);
});
