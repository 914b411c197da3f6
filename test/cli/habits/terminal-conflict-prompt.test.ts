/**
 * `sd pull` with a conflict and a progress bar, inside a real terminal:
 * the bar must not draw over the prompt, the prompt must say whose each
 * value is, and the merge report must be readable after it.
 */
import { describe, expect, it } from 'vitest';
import { openSdReplica } from '../../../src/sd/model/app.js';
import { Terminal } from '../../helpers/terminal.js';
import { createdId, sdUser, sdUserWithReplica, SD_BIN } from '../../sd/sd-cli.js';


describe('sd pull on a terminal', () => {
  it('stops the progress bar to ask, says whose each value is, and prints the report after', async () => {
    const alice = sdUserWithReplica('alice@example.com', 'alice');
    const { luid } = createdId(alice.ok(['ticket', 'create', '--summary', 'Shared bug']));
    const bob = sdUser('bob@example.com', 'bob');
    bob.ok(['clone', '--from', alice.repo]);
    bob.ok(['ticket', 'update', luid, '--status', 'stalled']);
    // More changesets than one merge transaction takes (2000), so the bar is up when the conflict comes.
    const replica = openSdReplica(alice.repo, { env: alice.env });
    try {
      for (let i = 0; i < 2100; i++) replica.create('note', { n: String(i) });
    } finally {
      replica.close();
    }
    alice.ok(['ticket', 'update', luid, '--status', 'open']);

    const term = new Terminal([process.execPath, SD_BIN, 'pull', '--from', alice.repo], bob.env, bob.home);
    const asking = await term.waitFor(/Keep which value for 'status'\?/);
    expect(asking).toMatch(new RegExp(`Conflict on ticket ${luid} "Shared bug"`));
    expect(asking).toMatch(/"open" +\(incoming: alice@example\.com, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\)/);
    expect(asking).toMatch(/"stalled" +\(local: bob@example\.com, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\)/);
    term.typeLine('1');
    const screen = await term.waitFor(/EXIT=\d+/);
    const lines = screen.split('\n');
    // The prompt line is whole: nothing drew over it or after it on its line.
    expect(lines.some((l) => /^Keep which value for 'status'\? \[1-2, q to give up\] 1$/.test(l)), screen).toBe(true);
    // No line mixes the bar with the conversation.
    expect(lines.filter((l) => /\[[█░]+\]/.test(l) && /Conflict|Keep|Property/.test(l)), screen).toEqual([]);
    expect(screen).toMatch(/^Merged 2\d{3} changesets from /m);
    expect(screen).toMatch(/conflict on ticket .* 'status': kept "open" \(prompt\)/);
    expect(screen).toContain('EXIT=0');
    expect(JSON.parse(bob.ok(['ticket', 'show', luid, '--json'])).props.status).toBe('open');
  }, 300_000);
});
