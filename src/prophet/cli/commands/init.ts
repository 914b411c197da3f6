import { resolve } from 'node:path';
import { Replica } from '../../replica/replica.js';
import type { Command } from '../command.js';

export const initCommand: Command = {
  names: ['init'],
  summary: 'Create a new, empty replica',
  usage: ['init [DIR] [--repo DIR]'],
  run(ctx) {
    ctx.noMoreWords(1);
    const root = ctx.words[0] !== undefined ? resolve(ctx.io.cwd, ctx.words[0]) : ctx.replicaRoot();
    const replica = Replica.init(root, { app: ctx.app.definition, env: ctx.env });
    const result = { root: replica.root, database_uuid: replica.databaseUuid, replica_uuid: replica.uuid };
    replica.close();
    if (ctx.json) ctx.printJson(result);
    else ctx.out(`Initialized a new ${ctx.app.name} replica in ${result.root}`);
  },
};
