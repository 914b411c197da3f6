import { randomBytes } from 'node:crypto';
import { describe, inject, type SuiteAPI } from 'vitest';
import { sdUser, type SdUser } from '../../sd/sd-cli.js';
import { RedmineRest } from './redmine-rest.js';
import { ADMIN_KEY, type RedmineServer } from './redmine-server.js';

/** The run's Redmine, or null when it could not be had (global-setup printed why, loudly). */
export const redmineServer: RedmineServer | null = inject('redmineServer');

/** `describe` for tests that need Redmine: skipped only when there is no Redmine server this run. */
export const describeRedmine: ReturnType<SuiteAPI['skipIf']> = describe.skipIf(!redmineServer);

export interface RedmineProject {
  server: RedmineServer;
  rest: RedmineRest;
  /** The project's identifier, unique to the test. */
  project: string;
}

/** A project of its own for one test (alice and bob are members), so tests share the server but not issues. */
export async function freshProject(opts: { versions?: string[]; categories?: string[] } = {}, prefix = 'sd', members = ['alice', 'bob']): Promise<RedmineProject> {
  if (!redmineServer) throw new Error(`no Redmine server: ${inject('redmineUnavailable')}`);
  const rest = new RedmineRest(redmineServer.url, ADMIN_KEY, redmineServer.dir);
  const project = `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  await rest.createProject(project, { ...opts, members });
  return { server: redmineServer, rest, project };
}

/** The foreign-replica URL for a project; `base` replaces the server's address (a counting proxy's, say). */
export function redmineUrl(p: { server: RedmineServer; project: string }, base?: string): string {
  return `redmine:${(base ?? p.server.url).replace(/\/$/, '')}/projects/${p.project}`;
}

/** The environment that gives sd the admin's key. */
export const KEY_ENV = { REDMINE_API_KEY: ADMIN_KEY };

/** An SD user whose commands find the admin's API key in REDMINE_API_KEY. */
export function redmineUser(email = 'carol@example.com', name = 'carol'): SdUser {
  const u = sdUser(email, name);
  Object.assign(u.env, KEY_ENV);
  return u;
}
