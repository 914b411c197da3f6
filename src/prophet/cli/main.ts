import { GENERIC_APP } from '../replica/replica.js';
import type { CliApp } from './command.js';
import { coreCommands } from './commands/index.js';
import { runCli } from './run.js';
import { packageVersion } from './version.js';


export const prophetApp: CliApp = {
  name: 'prophet',
  version: packageVersion(),
  definition: GENERIC_APP,
  repoEnv: 'PROPHET_REPO',
  defaultRepo: '~/.prophet',
  commands: coreCommands,
  helpIntro: 'prophet: a replicated, versioned property database.',
};

export function main(argv: string[]): Promise<number> {
  return runCli(prophetApp, argv);
}
