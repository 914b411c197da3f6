import type { Replica } from '../../replica/replica.js';
import type { Command } from '../command.js';

function describe(replica: Replica) {
  const types: Record<string, number> = {};
  for (const type of replica.types()) types[type] = replica.countLive(type);
  return {
    database_uuid: replica.databaseUuid,
    replica_uuid: replica.uuid,
    latest_sequence_no: replica.latestSequenceNo(),
    changesets: replica.countChangesets(),
    types,
  };
}

export const infoCommand: Command = {
  names: ['info'],
  summary: 'Describe the replica: where it is, its uuids, its changesets and record types',
  usage: ['info'],
  run(ctx) {
    ctx.noMoreWords();
    const replica = ctx.replica();
    const records = describe(replica);
    const resolutions = describe(replica.resdb);
    const { engine, database: location } = replica.storedIn;
    if (ctx.json) {
      ctx.printJson({ location, engine, records, resolutions });
      return;
    }
    const block = (title: string, d: ReturnType<typeof describe>, extra: string[]) => [
      title,
      ...extra,
      `  database uuid: ${d.database_uuid}`,
      `  replica uuid:  ${d.replica_uuid}`,
      `  changesets:    ${d.changesets}`,
      `  record types:  ${Object.entries(d.types).map(([t, n]) => `${t} (${n})`).join(', ') || 'none'}`,
    ];
    ctx.out(...block('Records database', records, [`  location:      ${location} (${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`]), '', ...block('Resolution database', resolutions, []));
  },
};
