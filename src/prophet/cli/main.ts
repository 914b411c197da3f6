import { readFileSync } from 'node:fs';
import { GENERIC_APP } from '../replica/replica.js';
import type { CliApp } from './command.js';
import { coreCommands } from './commands/index.js';
import { runCli } from './run.js';

/** The package version, read from package.json beside dist/ and src/. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

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
