import { resolve } from 'node:path';
import type { Command } from '../../../prophet/index.js';
import { setUpEmail, withIdentityOptions } from '../identity.js';

/** Prophet's init, then SD's own step: making sure SD knows who you are. */
export function sdInit(coreInit: Command): Command {
  return {
    ...coreInit,
    summary: 'Create a new SD database (asks for your email on a terminal; --email otherwise)',
    usage: ['init [DIR] [--email EMAIL [--user]] [-n|--non-interactive]'],
    options: withIdentityOptions(coreInit.options),
    async run(ctx) {
      const code = await coreInit.run(ctx);
      if (code) return code;
      setUpEmail(ctx, ctx.words[0] !== undefined ? resolve(ctx.io.cwd, ctx.words[0]) : ctx.replicaRoot());
    },
  };
}

/** Prophet's clone, then the same step as init, so the first edit after a clone works. */
export function sdClone(coreClone: Command): Command {
  return {
    ...coreClone,
    summary: `${coreClone.summary}; sets up your email as init does`,
    usage: coreClone.usage.map((u) => `${u} [--email EMAIL [--user]] [-n]`),
    options: withIdentityOptions(coreClone.options),
    async run(ctx) {
      const code = await coreClone.run(ctx);
      if (code) return code;
      setUpEmail(ctx, ctx.option('to') !== undefined ? resolve(ctx.io.cwd, ctx.option('to')!) : ctx.replicaRoot());
    },
  };
}
