import type { Command, Context } from '../../prophet/cli/index.js';
import type { AppDefinition, Replica } from '../../prophet/replica/replica.js';
import { ProphetError } from '../../prophet/model/errors.js';
import { sdAppDefinition } from '../model/app.js';

/**
 * SD's record hooks need the replica they write to (settings, ticket
 * lookups). The framework opens the replica inside the running command's
 * context, so every command is wrapped to note its context, and the hooks
 * ask that context for its (already open, cached) replica.
 */
export class ContextBinding {
  private current?: Context;
  readonly definition: AppDefinition = sdAppDefinition(() => this.replica());

  private replica(): Replica {
    if (!this.current) throw new ProphetError('no command is running to give SD its replica', 'internal');
    return this.current.replica();
  }

  wrap(command: Command): Command {
    return {
      ...command,
      run: (ctx) => {
        this.current = ctx;
        return command.run(ctx);
      },
    };
  }
}
