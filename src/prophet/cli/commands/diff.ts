import { ProphetError } from '../../model/errors.js';
import { diffSince } from '../../replica/history.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { propChangeLine } from '../format.js';

export const diffCommand: Command = {
  names: ['diff'],
  summary: 'Compare a record now with how it was after changeset N',
  usage: ['diff ID --since N [--type TYPE]'],
  options: { values: ['type', 'id', 'uuid', 'luid', 'since'] },
  run(ctx) {
    const id = ctx.recordId();
    const since = ctx.intOption('since');
    if (since === undefined) throw new UsageError(`since when? add --since N, a changeset number from 'log' or 'history' (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
    const replica = ctx.replica();
    const latest = replica.latestSequenceNo();
    if (since > latest) throw new ProphetError(`there is no changeset ${since} (the log ends at ${latest})`, 'not-found');
    const record = replica.resolve(id, ctx.givenRecordType(), { includeDeleted: true });
    const { then, now, differences: changed } = diffSince(replica, record.uuid, since);
    // A deleted record keeps its last properties, so compared with now nothing differs: show what it had.
    const differences = then.live && !now.live
      ? Object.keys(then.props).sort().map((name) => ({ name, then: then.props[name]!, now: null }))
      : changed;
    if (ctx.json) {
      ctx.printJson({ type: record.type, luid: record.luid, uuid: record.uuid, since, then, now, differences });
      return;
    }
    const label = `${record.type} ${record.luid}`;
    if (!then.live && !now.live) {
      ctx.out(`${label} did not exist after changeset ${since} and does not exist now.`);
      return;
    }
    if (!then.live) ctx.out(`${label} did not exist after changeset ${since}; it was created since:`);
    else if (!now.live) ctx.out(`${label} has been deleted since changeset ${since}; it then had:`);
    else if (differences.length === 0) {
      ctx.out(`${label} has not changed since changeset ${since}.`);
      return;
    } else ctx.out(`${label} since changeset ${since}:`);
    for (const d of differences) ctx.out(`  ${propChangeLine(d.name, { old_value: d.then, new_value: d.now }, ctx.colors)}`);
  },
};
