import { resolve } from 'node:path';
import { Config, identityFrom } from '../../../prophet/index.js';
import type { Command, Context } from '../../../prophet/index.js';
import { SD_APP_NAME } from '../../model/app.js';
import { ask, canPrompt } from '../interact.js';

export const SET_EMAIL_HINT = "sd config user.email-address you@example.com --user (or set $EMAIL)";

/** Who you are: --email, else asked on a terminal (unless -n), else a note saying how to set it. */
function setUpEmail(ctx: Context, config: Config): void {
  const given = ctx.option('email');
  const scope = ctx.flag('user') ? 'user' : 'replica';
  if (given) {
    config.set('user.email-address', given, scope);
    ctx.err(`Your changes will be recorded as ${given}${scope === 'user' ? ' in every SD database' : ' in this database'}.`);
    return;
  }
  const known = identityFrom(config, ctx.env);
  if (known) return;
  if (!canPrompt(ctx) || ctx.flag('non-interactive')) {
    ctx.err(`No email address is set for your changes yet; set one with: ${SET_EMAIL_HINT}`);
    return;
  }
  ctx.out('You need an email address configured to use SD.');
  let email = '';
  while (!email) email = ask(ctx, 'What email shall I use? ');
  const all = ask(ctx, 'Use this for (a)ll your SD databases or (j)ust this one? [J/a]: ').toLowerCase().startsWith('a');
  config.set('user.email-address', email, all ? 'user' : 'replica');
}

/** Prophet's init, then SD's own step: making sure SD knows who you are. */
export function sdInit(coreInit: Command): Command {
  return {
    ...coreInit,
    summary: 'Create a new SD database (asks for your email on a terminal; --email otherwise)',
    usage: ['init [DIR] [--email EMAIL [--user]] [-n|--non-interactive]'],
    options: {
      flags: [...(coreInit.options?.flags ?? []), 'non-interactive', 'user'],
      values: [...(coreInit.options?.values ?? []), 'email'],
      short: { ...(coreInit.options?.short ?? {}), n: 'non-interactive' },
    },
    async run(ctx) {
      const code = await coreInit.run(ctx);
      if (code) return code;
      const root = ctx.words[0] !== undefined ? resolve(ctx.io.cwd, ctx.words[0]) : ctx.replicaRoot();
      setUpEmail(ctx, new Config(SD_APP_NAME, root, ctx.env));
    },
  };
}
