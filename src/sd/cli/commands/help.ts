import { commandHelp, dispatch, UsageError } from '../../../prophet/index.js';
import type { Command } from '../../../prophet/index.js';
import { HELP_TOPICS, exactTopic, relatedTopic } from '../help-topics.js';
import { sdOverview } from '../overview.js';

export const sdHelp: Command = {
  names: ['help'],
  summary: 'Help on a topic or a command',
  usage: [`help [TOPIC | COMMAND]   (topics: ${HELP_TOPICS.join(', ')})`],
  run(ctx) {
    const words = ctx.words;
    if (words.length === 0) {
      ctx.out(sdOverview(ctx.app), `Help topics: ${HELP_TOPICS.join(', ')}`);
      return;
    }
    const topic = exactTopic(words);
    const found = topic ? undefined : dispatch(ctx.app, words);
    const page = topic ?? (found && found.rest.length === 0 ? commandHelp(ctx.app, found.command).trimEnd() : relatedTopic(words));
    if (!page) throw new UsageError(`Cannot find help on topic '${words.join(' ')}'. Try 'sd help'?`);
    ctx.out(page);
  },
};
