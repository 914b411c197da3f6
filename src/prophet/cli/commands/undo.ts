import { undo } from '../../replica/undo.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';

export const undoCommand: Command = {
  names: ['undo'],
  summary: 'Reverse a changeset with a new changeset',
  usage: ['undo N [--force]'],
  options: { flags: ['force'], short: { f: 'force' } },
  run(ctx) {
    ctx.noMoreWords(1);
    const word = ctx.words[0];
    if (word === undefined || !/^\d+$/.test(word)) throw new UsageError(`which changeset? give its number from 'log' (usage: ${ctx.app.name} undo N [--force])`);
    const seq = Number(word);
    const replica = ctx.replica();
    const made = undo(replica, seq, { force: ctx.flag('force') });
    if (ctx.json) ctx.printJson({ undone: seq, sequence_no: made?.sequence_no ?? null });
    else if (made) ctx.out(`Undid changeset ${seq} with changeset ${made.sequence_no}.`);
    else ctx.out(`Changeset ${seq} is already undone: nothing it changed is still there.`);
  },
};
