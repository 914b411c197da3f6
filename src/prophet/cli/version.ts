import { existsSync, readFileSync } from 'node:fs';

/** The version in the nearest package.json above this file (found by walking up: the bundled and unbundled builds sit at different depths). */
export function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dir.pathname === '/') return 'unknown';
  }
}
