import { ProphetError } from '../../model/errors.js';
import { redactUrls } from '../../model/redact.js';
import { Replica } from '../../replica/replica.js';
import { seedHub } from '../../replication/operations.js';
import { PostgresStorage } from '../../store/postgres/postgres-storage.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { withOptions } from './sync.js';

/**
 * `hub init`: makes a hub in a PostgreSQL database (docs/hub.md), empty
 * for the first push to fill, or seeded from a replica as a clone is.
 */
export const hubInitCommand: Command = {
  names: ['hub init'],
  summary: 'Make a hub in a PostgreSQL database, empty or seeded from a replica; serve it with server --store',
  usage: ['hub init --store postgres://USER@HOST/DATABASE [--from REPLICA] [--token TOKEN]'],
  options: { values: ['from', 'token'] },
  async run(ctx) {
    ctx.noMoreWords();
    const url = ctx.storeUrl();
    if (url === undefined) throw new UsageError(`which database? give --store postgres://USER@HOST/DATABASE (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
    const from = ctx.option('from');
    const storage = new PostgresStorage(url, ctx.env);
    let replica: Replica;
    let integrated: number | undefined;
    if (from === undefined) {
      if (storage.holdsReplica()) {
        storage.close();
        throw new ProphetError(`${storage.location} holds a hub already; serve it with '${ctx.app.name} server --store URL'`, 'exists');
      }
      replica = Replica.initIn(storage, { app: ctx.app.definition, env: ctx.env });
    } else {
      let seeded: Replica | undefined;
      const [report] = await withOptions(ctx, async (opts) => {
        const result = await seedHub(from, storage, { ...opts, token: ctx.option('token') });
        seeded = result.replica;
        return result.report;
      });
      replica = seeded!;
      integrated = report!.changesets.integrated;
    }
    const result = { store: storage.location, database_uuid: replica.databaseUuid, replica_uuid: replica.uuid, latest_sequence_no: replica.latestSequenceNo(), ...(from === undefined ? {} : { from: redactUrls(from), integrated }) };
    replica.close();
    if (ctx.json) ctx.printJson(result);
    else if (from === undefined) ctx.out(`Made an empty hub in ${result.store}; the first push fills it. Serve it with '${ctx.app.name} server --store URL --writable'.`);
    else ctx.out(`Made a hub in ${result.store} from ${result.from}: ${integrated} changesets integrated, ${result.latest_sequence_no} in its log. Serve it with '${ctx.app.name} server --store URL --writable'.`);
  },
};
