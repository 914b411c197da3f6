import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalPrompt } from '../../src/prophet/cli/conflict-prompt.js';
import { cloneOf, peer, pull } from './helpers.js';

/** Two replicas that changed the same two properties of one record differently. */
async function twoPropertyConflict() {
  const a = peer('alice');
  const { uuid } = a.create('Bug', { status: 'new', summary: 's' });
  const b = await cloneOf(a, 'bob');
  a.update('Bug', uuid, { status: 'one', summary: 's1' });
  b.update('Bug', uuid, { status: 'two', summary: 's2' });
  return { a, b, uuid };
}

describe('the terminal prompt', () => {
  it('keeps answers typed or pasted ahead of their question; an empty answer asks again', async () => {
    const { a, b, uuid } = await twoPropertyConflict();
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    input.end('2\n\n1\n');
    const session = terminalPrompt(input, output);
    try {
      const report = await pull(b, a, { prompt: session.prompt });
      expect(report.conflicts.map((c) => [c.name, c.chosen, c.how])).toEqual([['status', 'two', 'prompt'], ['summary', 's1', 'prompt']]);
    } finally {
      session.close();
    }
    expect(b.get(uuid).props).toMatchObject({ status: 'two', summary: 's1' });
    expect(shown).toMatch(new RegExp(`Conflict on Bug \\d+ "s2" \\(${uuid}\\)`));
    expect(shown.match(/Keep which value for 'summary'/g)).toHaveLength(2);
  });

  it('gives up at the end of input, and the merge writes nothing', async () => {
    const { a, b, uuid } = await twoPropertyConflict();
    const input = new PassThrough();
    input.end('1\n');
    const session = terminalPrompt(input, new PassThrough());
    const before = b.latestSequenceNo();
    await expect(pull(b, a, { prompt: session.prompt })).rejects.toThrow(/was not resolved; nothing of this batch was written/);
    session.close();
    expect(b.latestSequenceNo()).toBe(before);
    expect(b.get(uuid).props).toMatchObject({ status: 'two', summary: 's2' });
  });
});
