import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { dispatch } from '../dispatch.js';
import { commandHelp, overview } from '../help.js';
import { versionText } from '../version.js';

export const helpCommand: Command = {
  names: ['help'],
  summary: 'List the commands, or show how to use one',
  usage: ['help [COMMAND]'],
  run(ctx) {
    if (ctx.words.length === 0) {
      ctx.out(overview(ctx.app).trimEnd());
      return;
    }
    const found = dispatch(ctx.app, ctx.words);
    if (!found) throw new UsageError(`'${ctx.words.join(' ')}' is not a ${ctx.app.name} command; '${ctx.app.name} help' lists them`);
    ctx.out(commandHelp(ctx.app, found.command).trimEnd());
  },
};

export const versionCommand: Command = {
  names: ['version'],
  summary: 'Show the version',
  usage: ['version [--json]'],
  run(ctx) {
    ctx.noMoreWords();
    ctx.io.stdout(versionText(ctx.app.name, ctx.app.version, ctx.json));
  },
};
