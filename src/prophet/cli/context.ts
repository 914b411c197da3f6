import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import pc from 'picocolors';
import { ProphetError } from '../model/errors.js';
import { isInternalType } from '../model/types.js';
import { isLuid, isUuid, isUuidPrefix } from '../model/uuid.js';
import { Config } from '../replica/config.js';
import { Replica } from '../replica/replica.js';
import { isPostgresUrl } from '../store/postgres/postgres-storage.js';
import { openHub } from '../replication/hub.js';
import type { Criterion } from '../replica/search.js';
import { propsToSet, type OptionValues } from './args.js';
import type { CliApp, Command } from './command.js';
import { wantsColor } from './color.js';
import { editText } from './editor.js';
import { UsageError } from './errors.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  /** Where a command may ask the user something (a conflict to settle); absent when nobody can answer. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type Colors = ReturnType<typeof pc.createColors>;

/** What a command sees: its parsed arguments, the replica, and where to write. */
export class Context {
  private openedReplica?: Replica;
  private cachedConfig?: Config;
  readonly colors: Colors;

  constructor(
    readonly app: CliApp,
    readonly command: Command,
    /** The name the command was invoked by, e.g. `ls` for search. */
    readonly invokedAs: string,
    /** Words after the command's name (ids, sub-commands, values). */
    readonly words: string[],
    readonly options: OptionValues,
    /** Properties after `--` (and, for apps that read them so, undeclared `--name VALUE` options), in order; undefined when none were given. */
    public props: Criterion[] | undefined,
    /** A record type given as the word before the command: `prophet Bug show 3`. */
    readonly typeWord: string | undefined,
    readonly io: CliIo,
  ) {
    this.colors = pc.createColors(wantsColor(io, options['no-color'] === true));
  }

  get env(): NodeJS.ProcessEnv {
    return this.io.env;
  }

  get json(): boolean {
    return this.flag('json');
  }

  get isTTY(): boolean {
    return this.io.isTTY;
  }

  flag(name: string): boolean {
    return this.options[name] === true;
  }

  option(name: string): string | undefined {
    const v = this.options[name];
    return typeof v === 'string' ? v : undefined;
  }

  /** An option that must be a non-negative integer, e.g. --as-of 3. */
  intOption(name: string): number | undefined {
    const v = this.option(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name} takes a number, not '${v}'`);
    return Number(v);
  }

  /** Prints lines to stdout. */
  out(...lines: string[]): void {
    for (const line of lines) this.io.stdout(`${line}\n`);
  }

  /** Prints lines to stderr: notes and warnings, never data. */
  err(...lines: string[]): void {
    for (const line of lines) this.io.stderr(`${line}\n`);
  }

  /** Prints data as indented JSON, for --json. */
  printJson(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }


  /** Fails when words are left that the command did not use. */
  noMoreWords(used = 0): void {
    const extra = this.words[used];
    if (extra === undefined) return;
    if (/^[^=\s]+=/.test(extra)) throw new UsageError(`'${extra}' looks like a property: put properties after '--' (usage: ${this.app.name} ${this.command.usage[0]})`);
    throw new UsageError(`unexpected '${extra}' after '${this.invokedAs}' (usage: ${this.app.name} ${this.command.usage[0]})`);
  }

  /** The replica directory: --repo, then the app's environment variable, then its default. Not for a hub (--store). */
  replicaRoot(): string {
    if (this.storeUrl() !== undefined) {
      throw new UsageError(`'${this.invokedAs}' works on a replica directory, not a hub's database (--store); a hub is made with '${this.app.name} hub init --store URL [--from REPLICA]'`);
    }
    const given = this.option('repo') ?? this.env[this.app.repoEnv] ?? this.app.defaultRepo;
    const home = this.env.HOME ?? homedir();
    const expanded = given === '~' ? home : given.startsWith('~/') ? join(home, given.slice(2)) : given;
    return isAbsolute(expanded) ? expanded : resolve(this.io.cwd, expanded);
  }

  /** The hub database given with --store, if any (docs/hub.md). */
  storeUrl(): string | undefined {
    const url = this.option('store');
    if (url === undefined) return undefined;
    if (!isPostgresUrl(url)) throw new UsageError(`--store takes a PostgreSQL URL (postgres://USER@HOST/DATABASE), not '${url}'; a replica directory is given with --repo`);
    if (this.option('repo') !== undefined) throw new UsageError('give --repo DIR or --store URL, not both: one names a replica on disk, the other a hub database');
    return url;
  }

  /** Opens the replica once (on disk, or a hub's with --store); a missing one gets a message saying how to create it. */
  replica(): Replica {
    if (this.openedReplica) return this.openedReplica;
    const url = this.storeUrl();
    if (url !== undefined) {
      this.openedReplica = openHub(url, this.app.name, { app: this.app.definition, env: this.env });
      return this.openedReplica;
    }
    const root = this.replicaRoot();
    if (!Replica.exists(root)) {
      const why = existsSync(root) ? `${root} is not a ${this.app.name} replica` : `there is no ${this.app.name} replica at ${root}`;
      throw new ProphetError(`${why}: create one with '${this.app.name} init', or point --repo or ${this.app.repoEnv} at an existing replica`, 'not-replica');
    }
    const onUpgrade = (from: number, to: number) =>
      this.err(`${this.app.name}: upgrading ${root} to this release's database format (schema ${from} to ${to}); once, and it can take a minute on a large replica`);
    this.openedReplica = Replica.open(root, { app: this.app.definition, env: this.env, onUpgrade });
    return this.openedReplica;
  }

  /** The local configuration, readable without a replica (then without its file). */
  config(): Config {
    if (this.openedReplica) return this.openedReplica.config;
    if (this.storeUrl() !== undefined) return (this.cachedConfig ??= new Config(this.app.definition.name, undefined, this.env));
    const root = this.replicaRoot();
    this.cachedConfig ??= new Config(this.app.definition.name, Replica.exists(root) ? root : undefined, this.env);
    return this.cachedConfig;
  }

  close(): void {
    this.openedReplica?.close();
  }

  /** The record type: --type, or the word before the command. */
  recordType(): string {
    const type = this.givenRecordType();
    if (!type) throw new UsageError(`which record type? add --type TYPE (usage: ${this.app.name} ${this.command.usage[0]})`);
    return type;
  }

  /** Refuses changes to Prophet's own records (database settings), which have their own commands. */
  refuseInternalType(type: string): void {
    if (isInternalType(type)) {
      throw new ProphetError(`'${type}' records belong to ${this.app.name} itself (database settings): change them with '${this.app.name} settings'`, 'usage');
    }
  }

  /** The record type when one was given, for commands where it is optional. */
  givenRecordType(): string | undefined {
    return this.option('type') ?? this.typeWord;
  }

  /** The record id: --id/--uuid/--luid, or the first word when it looks like an id. */
  recordId(): string {
    const given = this.option('id') ?? this.option('uuid') ?? this.option('luid');
    if (given !== undefined) {
      if (this.options.luid !== undefined && !isLuid(given)) throw new UsageError(`--luid takes a local id number, not '${given}'`);
      this.noMoreWords();
      return given;
    }
    const word = this.words[0];
    if (word === undefined) throw new UsageError(`which record? give its local id or uuid (usage: ${this.app.name} ${this.command.usage[0]})`);
    if (!isLuid(word) && !isUuid(word) && !isUuidPrefix(word)) {
      throw new UsageError(`'${word}' is not a record id (a local id number, a uuid or the start of one)`);
    }
    this.noMoreWords(1);
    return word;
  }

  /** The properties after `--` as a name → value map (last wins); only `=` is allowed. */
  propsToSet(): Record<string, string> {
    return propsToSet(this.props ?? []);
  }

  /** Opens $VISUAL or $EDITOR on `text` and returns what the user saved. */
  editText(text: string, name: string): string {
    return editText(text, name, this.env);
  }
}
