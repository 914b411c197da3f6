import type { Context, RecordRow } from '../../prophet/index.js';
import { sdAppDefinition } from '../model/app.js';
import { TICKET } from '../model/record-types.js';
import { readSdSettings } from '../model/settings.js';

const TYPES = sdAppDefinition.recordTypes!.map((t) => t.type);

/** The record type a command works on: the last type named in it (`ticket comment update` → comment). */
function commandType(ctx: Context): string {
  return ctx.invokedAs.split(' ').filter((w) => TYPES.includes(w)).pop() ?? TICKET;
}

/** The record the command names by its first word, if it is one of `type`; the command itself reports a bad id. */
function namedRecord(ctx: Context, type: string): RecordRow | undefined {
  const id = ctx.words[0];
  if (id === undefined) return undefined;
  try {
    return ctx.replica().resolve(id, type);
  } catch {
    return undefined;
  }
}

/**
 * The properties `--name VALUE` may set on an SD command (the 2008 talk's
 * `--summary "..." --status new`): those the record type defines, the
 * ticket properties the settings list and describe, and those the named
 * record already has. Anything else is more likely a slip (`--stauts`)
 * than a new property, which `-- name=VALUE` still sets.
 */
export function sdPropertyOptions(ctx: Context): Set<string> {
  const type = commandType(ctx);
  const def = sdAppDefinition.recordTypes!.find((t) => t.type === type)!;
  const known = new Set([...(def.declaredProps ?? []), ...Object.keys({ ...def.defaults, ...def.canonicalize, ...def.validate, ...def.recommendedValues })]);
  const replica = ctx.replica();
  if (type === TICKET) {
    const settings = readSdSettings(replica);
    for (const name of [...settings.commonTicketProps, ...Object.keys(settings.propDescriptions)]) known.add(name);
  }
  for (const name of Object.keys(namedRecord(ctx, type)?.props ?? {})) known.add(name);
  return known;
}
