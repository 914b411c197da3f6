import { ProphetError } from '../../model/errors.js';
import { parseLogRange } from '../../replica/history.js';
import { KeyRing } from '../../replica/key-ring.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { changeLines, changesetHeader, changesetJson, changesInOrder, propChangesJson } from '../format.js';

/** How many changesets `log` shows when given no range. */
const DEFAULT_LOG_LENGTH = 20;

export const logCommand: Command = {
  names: ['log'],
  summary: 'List changesets, newest first (default: the last 20)',
  usage: ['log [RANGE | --range RANGE | --all] [-n|--limit N]   (RANGE: N, LATEST, LATEST~K, START..END)'],
  options: { flags: ['all'], values: ['range', 'limit'], short: { a: 'all', n: 'limit' } },
  run(ctx) {
    ctx.noMoreWords(1);
    const replica = ctx.replica();
    const latest = replica.latestSequenceNo();
    const text = ctx.option('range') ?? ctx.words[0];
    if (text !== undefined && ctx.flag('all')) throw new UsageError('give a range or --all, not both');
    const limit = ctx.intOption('limit');
    const range = ctx.flag('all')
      ? { from: 1, to: latest }
      : text !== undefined
        ? parseLogRange(text, latest)
        : { from: Math.max(latest - (limit ?? DEFAULT_LOG_LENGTH) + 1, 1), to: latest };
    const { to } = range;
    // Like git's -n: the newest N of the range.
    const from = limit === undefined ? range.from : Math.max(range.from, Math.min(to, latest) - limit + 1);
    if (text !== undefined && !text.includes('..') && (range.from < 1 || range.from > latest)) {
      throw new ProphetError(`there is no changeset ${text} (the log has ${latest === 0 ? 'none yet' : `1 to ${latest}`})`, 'not-found');
    }
    const changesets = from <= to && from >= 1 ? [...replica.changesets(from, Math.min(to, latest))].reverse() : [];
    const luidOf = (uuid: string) => replica.findRecord(uuid)?.luid;
    const keys = new KeyRing(replica);
    if (ctx.json) {
      ctx.printJson(
        changesets.map((cs) => ({
          ...changesetJson(cs, keys.checkStored(cs)),
          changes: changesInOrder(cs).map(([uuid, change]) => ({
            record_type: change.record_type,
            record_uuid: uuid,
            luid: luidOf(uuid) ?? null,
            change_type: change.change_type,
            prop_changes: propChangesJson(change),
          })),
        })),
      );
      return;
    }
    for (const cs of changesets) {
      ctx.out(changesetHeader(cs, ctx.colors, keys.checkStored(cs)));
      for (const [uuid, change] of changesInOrder(cs)) {
        ctx.out(` # ${change.record_type} ${luidOf(uuid) ?? '?'} (${uuid})`, ...changeLines(change, ctx.colors).map((l) => `   ${l}`));
      }
      ctx.out('');
    }
  },
};
