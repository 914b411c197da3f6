import type { ConfigScope } from '../replica/config.js';
import type { Context } from './context.js';
import { UsageError } from './errors.js';

/** Options that choose which config file a change goes to. */
export const SCOPE_FLAGS = ['user', 'global'];

/** --user (~/.<app>rc), --global (/etc/<app>rc), else the replica's own file (the user's when there is no replica). */
export function chosenScope(ctx: Context): ConfigScope {
  if (ctx.flag('user') && ctx.flag('global')) throw new UsageError('give --user or --global, not both');
  return ctx.flag('user') ? 'user' : ctx.flag('global') ? 'global' : 'replica';
}
