import { existsSync, readFileSync } from 'node:fs';

/** The version in the nearest package.json above this file (found by walking up: the bundled and unbundled builds sit at different depths). */
export function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dir.pathname === '/') return 'unknown';
  }
}

/** What the version command prints. */
export function versionText(name: string, version: string, json: boolean): string {
  return json ? `${JSON.stringify({ name, version }, null, 2)}\n` : `${name} ${version}\n`;
}

/**
 * The output of a command line that only asks for the version (`version`,
 * `version --json`, `--version`, `-V`), else undefined. The executables
 * answer these before loading the command set, so they start about as fast
 * as Node itself; like git's built-ins, `version` cannot be aliased away.
 */
export function versionOnly(name: string, argv: string[]): string | undefined {
  const line = argv.join(' ');
  if (line === 'version' || line === '--version' || line === '-V') return versionText(name, packageVersion(), false);
  if (line === 'version --json') return versionText(name, packageVersion(), true);
  return undefined;
}
