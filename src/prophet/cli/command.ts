import type { ServerExtension } from '../server/extension.js';
import type { HtmlExport } from '../publish/publish.js';
import type { SchemeRegistry } from '../transports/schemes.js';
import type { AppDefinition } from '../replica/replica.js';
import type { Context } from './context.js';

/** Options a command accepts besides the global ones (see GLOBAL_OPTIONS in args.ts). */
export interface OptionSpec {
  /** Options that take no value: `--force`. */
  flags?: string[];
  /** Options that take a value: `--type T`, `--type=T`. */
  values?: string[];
  /** Short forms: `{ e: 'edit' }` makes `-e` mean `--edit`. */
  short?: Record<string, string>;
}

/**
 * One command of a CLI. A module exports its commands and an app lists
 * them in `CliApp.commands`; the dispatcher picks the command whose name
 * matches the longest run of leading words.
 */
export interface Command {
  /** The first is the canonical name, the rest aliases. A name may be several words: `ticket create`. */
  names: string[];
  /** One line for `help`. */
  summary: string;
  /** Usage lines without the program name, e.g. `show ID [--type T] [--as-of N]`. */
  usage: string[];
  options?: OptionSpec;
  /** Whether `-- name=value` properties are meaningful; otherwise giving some is a usage error. */
  takesProps?: boolean;
  /**
   * Whether its words are a query (docs/search.md), so that a negated term
   * (`-status:closed`, `-crash`) is read as one rather than as options.
   */
  takesQuery?: boolean;
  /** Returns the exit code; undefined means 0. Throw ProphetError for anything the user can fix. */
  run(ctx: Context): Promise<number | void> | number | void;
}

/** An application's CLI profile: everything runCli needs to know about the app. */
export interface CliApp {
  /** The program name shown in messages and usage: `prophet`, `sd`. */
  name: string;
  version: string;
  /** Passed to Replica.open/init; its name also names config files (~/.<name>rc). */
  definition: AppDefinition;
  /** Environment variable naming the replica directory: PROPHET_REPO, SD_REPO. */
  repoEnv: string;
  /** Replica used when neither --repo nor repoEnv is given (a path; `~` means $HOME). */
  defaultRepo: string;
  /** Earlier entries win when two commands share a name, so an app lists its overrides first. */
  commands: Command[];
  /** The kinds of replica URL sync commands can open: Prophet's own plus the app's (a foreign tracker's `rt:`...). */
  schemes?: SchemeRegistry;
  /** Search output formats by record type, used when the config sets none (reference §4.3). */
  summaryFormats?: Record<string, string>;
  /** The app's own command-line rewrites, run before aliases and parsing; a UsageError it throws is reported like any other. */
  rewriteArgv?: (argv: string[]) => string[];
  /**
   * Property names an undeclared `--name VALUE` option may set on commands
   * that take properties (`sd ticket update 3 --status closed`); any other
   * undeclared option is refused with the closest known name. Without it,
   * every undeclared option is refused.
   */
  propertyOptions?: (ctx: Context) => Iterable<string>;
  /** Text printed above the command list by `help`. */
  helpIntro: string;
  /** The app's own routes on `server` (a web UI). */
  serverExtensions?: ServerExtension[];
  /** The app's pages for `publish --html`, loaded only when asked for; Prophet's plain record pages without it. */
  htmlExport?: () => Promise<HtmlExport>;
}
