import { existsSync, readFileSync } from 'node:fs';
import { GENERIC_APP } from '../replica/replica.js';
import type { CliApp } from './command.js';
import { coreCommands } from './commands/index.js';
import { runCli } from './run.js';

/** The version in the nearest package.json above this file (found by walking up: the bundled and unbundled builds sit at different depths). */
export function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dir.pathname === '/') return 'unknown';
  }
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
