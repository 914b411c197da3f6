import { spawnSync } from 'node:child_process';
import { Config, identityFrom } from '../../prophet/index.js';
import type { Context, OptionSpec } from '../../prophet/index.js';
import { SD_APP_NAME } from '../model/app.js';
import { ask, canPrompt } from './interact.js';

const SET_EMAIL_HINT = 'sd config user.email-address you@example.com --user (or set $EMAIL)';

/** The options of commands that set up who you are: init and clone. */
export const IDENTITY_OPTIONS: Required<OptionSpec> = { flags: ['non-interactive', 'user'], values: ['email'], short: { n: 'non-interactive' } };

/** git's `user.email`, which most people who use a tracker have set already. */
function gitEmail(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync('git', ['config', '--get', 'user.email'], { cwd, env, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/**
 * Makes sure SD knows who you are in the replica at `root`, so the first
 * edit works: --email; else what is known already ($EMAIL, config);
 * else asked on a terminal (unless -n); else git's user.email; else a note
 * saying how to set it.
 */
export function setUpEmail(ctx: Context, root: string): void {
  const config = new Config(SD_APP_NAME, root, ctx.env);
  const given = ctx.option('email');
  const scope = ctx.flag('user') ? 'user' : 'replica';
  const record = (email: string, where: 'user' | 'replica') => {
    config.set('user.email-address', email, where);
    ctx.err(`Your changes will be recorded as ${email}${where === 'user' ? ' in every SD database' : ' in this database'}.`);
  };
  if (given) return record(given, scope);
  if (identityFrom(config, ctx.env)) return;
  const fromGit = gitEmail(ctx.io.cwd, ctx.env);
  if (canPrompt(ctx) && !ctx.flag('non-interactive')) {
    ctx.out('You need an email address configured to use SD.');
    let email = '';
    while (!email) email = ask(ctx, `What email shall I use?${fromGit ? ` [${fromGit}]` : ''} `) || (fromGit ?? '');
    const all = ask(ctx, 'Use this for (a)ll your SD databases or (j)ust this one? [J/a]: ').toLowerCase().startsWith('a');
    return record(email, all ? 'user' : 'replica');
  }
  if (fromGit) return record(fromGit, 'replica');
  ctx.err(`No email address is set for your changes yet; set one with: ${SET_EMAIL_HINT}`);
}

/** A command with the identity options added to its own. */
export function withIdentityOptions(spec: OptionSpec = {}): OptionSpec {
  return {
    flags: [...(spec.flags ?? []), ...IDENTITY_OPTIONS.flags],
    values: [...(spec.values ?? []), ...IDENTITY_OPTIONS.values],
    short: { ...(spec.short ?? {}), ...IDENTITY_OPTIONS.short },
  };
}
