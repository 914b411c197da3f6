import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { replaceFile } from '../store/atomic-file.js';
import { withFileLock } from '../store/file-lock.js';
import { editGitConfig, parseGitConfig } from './git-config.js';

export type ConfigScope = 'global' | 'user' | 'replica';

export interface ConfigFile {
  scope: ConfigScope;
  path: string;
}

/**
 * The local configuration, never synced: a global, a user and a replica
 * file in git-config syntax, later ones overriding earlier ones. An app
 * named `sd` reads /etc/sdrc and ~/.sdrc; `<APP>_CONFIG` (or
 * PROPHET_APP_CONFIG) replaces all three with one file.
 */
export class Config {
  private values = new Map<string, string>();
  readonly files: ConfigFile[];

  constructor(
    readonly appName: string,
    replicaRoot: string | undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const override = env[`${appName.toUpperCase()}_CONFIG`] ?? env.PROPHET_APP_CONFIG;
    if (override) {
      this.files = [{ scope: 'replica', path: override }];
    } else {
      this.files = [
        { scope: 'global', path: `/etc/${appName}rc` },
        { scope: 'user', path: join(env.HOME ?? homedir(), `.${appName}rc`) },
      ];
      if (replicaRoot) this.files.push({ scope: 'replica', path: join(replicaRoot, 'config') });
    }
    this.reload();
  }

  reload(): void {
    this.values = new Map();
    for (const f of this.files) {
      if (!existsSync(f.path)) continue;
      for (const { key, value } of parseGitConfig(readFileSync(f.path, 'utf8'), f.path)) this.values.set(key, value);
    }
  }

  get(key: string): string | undefined {
    return this.values.get(normalizeKey(key));
  }

  /** Every key and value in force, sorted by key. */
  entries(): Array<[string, string]> {
    return [...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Keys under a prefix such as `alias.` or `replica.`, with the prefix removed. */
  withPrefix(prefix: string): Array<[string, string]> {
    return this.entries()
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]);
  }

  fileFor(scope: ConfigScope): string {
    const f = this.files.find((x) => x.scope === scope) ?? this.files[this.files.length - 1];
    if (!f) throw new ProphetError('there is no config file to write to');
    return f.path;
  }

  /** Sets (or with undefined, removes) a key in one file, then reloads. */
  set(key: string, value: string | undefined, scope: ConfigScope = 'replica'): void {
    const path = this.fileFor(scope);
    // Read, edit, replace: under a lock, or a change made by another process meanwhile would be lost.
    withFileLock(path, 'change the config', () => {
      const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
      let text = editGitConfig(before, key, value);
      if (!/\[core\][^[]*config-format-version/.test(text)) text = editGitConfig(text, 'core.config-format-version', '0');
      this.write(scope, text);
    });
  }

  /** Replaces one file's text whole (a full disk leaves the old text), then reloads. */
  write(scope: ConfigScope, text: string): void {
    const path = this.fileFor(scope);
    // The global file is for every user of the machine: readable by all.
    replaceFile(path, text, { newFileMode: scope === 'global' ? 0o644 : this.newFileMode(), action: 'change the config' });
    this.reload();
  }

  /**
   * The mode of files holding a replica's data (its database, its config):
   * private to the user (0600) unless `core.private-files` is false, or
   * PROPHET_PRIVATE_FILES=0 (which wins); then the umask decides.
   */
  newFileMode(): number {
    const setting = this.env.PROPHET_PRIVATE_FILES ?? this.get('core.private-files');
    return setting !== undefined && /^(0|false|no|off)$/i.test(setting.trim()) ? 0o666 : 0o600;
  }
}

/** Section and key names are case-insensitive; a subsection keeps its case. */
export function normalizeKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 0) return key.toLowerCase();
  if (first === last) return key.toLowerCase();
  return `${key.slice(0, first).toLowerCase()}${key.slice(first, last)}.${key.slice(last + 1).toLowerCase()}`;
}

/** Who is making changes: `user.email-address`, then PROPHET_EMAIL, then EMAIL. */
export function identityFrom(config: Config, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return config.get('user.email-address') || env.PROPHET_EMAIL || env.EMAIL || undefined;
}
