import { runCli } from '../../prophet/index.js';
import { buildSdApp } from './app.js';
import { rewriteArgv } from './argv.js';
import { sdOverview } from './overview.js';

/** Runs one `sd` command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const app = buildSdApp();
  if (argv.length === 0) {
    process.stdout.write(`${sdOverview(app)}\n`);
    return 0;
  }
  return runCli({ ...app, rewriteArgv }, argv);
}
