import type { TestProject } from 'vitest/node';

/**
 * Whether this run includes a test file under `folder` (`test/web/`), so a
 * globalSetup starts a costly fixture (a browser, a tracker) only for the
 * runs that use it. Uses vitest's experimental `state.getPaths()`; where
 * that is missing, assume the run includes the folder.
 */
export function runIncludes(project: TestProject, folder: string): boolean {
  let paths: string[];
  try {
    paths = project.vitest.state.getPaths();
  } catch {
    return true;
  }
  const part = `/${folder.replace(/^\/+|\/+$/g, '')}/`;
  return paths.some((p) => p.replaceAll('\\', '/').includes(part));
}
