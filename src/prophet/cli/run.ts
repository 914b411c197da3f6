import { ProphetError } from '../model/errors.js';
import { redactUrls } from '../model/redact.js';
import { Config } from '../replica/config.js';
import { Replica } from '../replica/replica.js';
import { aliasesOf, expandAliases } from './aliases.js';
import { parseOptions, parseProps, unknownOption, withGlobalOptions, type OptionValues } from './args.js';
import type { CliApp, Command } from './command.js';
import { Context, type CliIo } from './context.js';
import { EXIT, UsageError } from './errors.js';
import { locateCommand } from './dispatch.js';
import { didYouMean } from './suggest.js';
import { isLuid, isUuid, isUuidPrefix } from '../model/uuid.js';
import type { Criterion } from '../replica/search.js';
import { commandHelp, overview } from './help.js';
import { COMPLETE_COMMAND, completions } from './completion.js';

/** The replica directory as the context would find it, before any parsing: for aliases. */
function aliasConfig(app: CliApp, argv: string[], io: CliIo): Config {
  const i = argv.findIndex((t) => t === '--repo' || t.startsWith('--repo='));
  const given = i < 0 ? undefined : argv[i]!.startsWith('--repo=') ? argv[i]!.slice(7) : argv[i + 1];
  const root = given ?? io.env[app.repoEnv];
  return new Config(app.definition.name, root && Replica.exists(root) ? root : undefined, io.env);
}

function defaultIo(): CliIo {
  // A reader that stops early (`| head`) closes the pipe: that ends the output, it is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
    isTTY: !!process.stdout.isTTY,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** What to say about words that name no command: the closest command, or for a group (`sd ticket frob`) its sub-commands. */
function unknownCommand(app: CliApp, words: string[]): UsageError {
  const group = `${words[0]} `;
  const subs = [...new Set(app.commands.map((c) => c.names[0]!).filter((n) => n.startsWith(group)).map((n) => n.slice(group.length).split(' ')[0]!))];
  if (!subs.length) {
    const firstWords = new Set(app.commands.flatMap((c) => c.names.map((n) => n.split(' ')[0]!)));
    const types = app.definition.recordTypes?.map((t) => t.type) ?? [];
    return new UsageError(`'${words[0]}' is not a ${app.name} command${didYouMean(words[0]!, [...firstWords, ...types])}; '${app.name} help' lists them`);
  }
  if (words.length === 1) return new UsageError(`'${words[0]}' needs a sub-command; try one of: ${subs.join(', ')}`);
  return new UsageError(`'${words[0]} ${words[1]}' is not a ${app.name} command${didYouMean(words[1]!, subs)}; try one of: ${subs.join(', ')}`);
}

/** An app with its own record types takes no others before a command: `sd tiket list` is a slip, not a type. */
function checkTypeWord(app: CliApp, words: string[], typeWord: string | undefined): void {
  const types = app.definition.recordTypes?.map((t) => t.type);
  if (typeWord === undefined || !types?.length || types.includes(typeWord)) return;
  throw unknownCommand(app, words);
}

/** `show Bug 3`: a record type typed as the first word after a command that takes --type. */
function typeBeforeId(command: Command, options: OptionValues, rest: string[]): string | undefined {
  const [first, second] = rest;
  if (options.type !== undefined || !command.options?.values?.includes('type') || first === undefined || second === undefined) return undefined;
  const idLike = (w: string) => isLuid(w) || isUuid(w) || isUuidPrefix(w);
  return !idLike(first) && idLike(second) ? first : undefined;
}

/** Undeclared `--name VALUE` options as properties, for apps that read them so (`--summary "..."`); each name must be one the app knows. */
function optionProps(ctx: Context, undeclared: Array<[string, string | boolean]>): Criterion[] {
  if (!undeclared.length) return [];
  const known = new Set(ctx.app.propertyOptions!(ctx));
  const declared = Object.values(withGlobalOptions(ctx.command.options)).flatMap((v) => (Array.isArray(v) ? v : []));
  return undeclared.map(([name, value]) => {
    if (!known.has(name)) {
      throw new UsageError(`${unknownOption(name, ctx.invokedAs, [...declared, ...known])}; for any other property write -- ${name}=VALUE`);
    }
    if (typeof value !== 'string') throw new UsageError(`--${name} needs a value: --${name} VALUE (or -- ${name}=VALUE)`);
    return { prop: name, cmp: '=' as const, value };
  });
}

async function runParsed(app: CliApp, argv: string[], io: CliIo): Promise<number> {
  const expanded = expandAliases(argv, aliasesOf(aliasConfig(app, argv, io)));
  const propStart = expanded.findIndex((t) => t === '--' || t === '--props');
  const head = propStart < 0 ? expanded : expanded.slice(0, propStart);
  const propTokens = propStart < 0 ? undefined : expanded.slice(propStart + 1);
  const { words, found, tokens } = locateCommand(app, head);
  if (words.length === 0) {
    const { options } = parseOptions(tokens, { flags: ['version'], short: { V: 'version' } }, app.name);
    io.stdout(options.version ? `${app.name} ${app.version}\n` : overview(app));
    return EXIT.ok;
  }
  if (!found) throw unknownCommand(app, words);
  const { command, invokedAs } = found;
  checkTypeWord(app, words, found.typeWord);
  const keepUndeclared = !!command.takesProps && !!app.propertyOptions;
  const { options, positionals, undeclared } = parseOptions(tokens, command.options ?? {}, invokedAs, { keepUndeclared, query: command.takesQuery });
  if (options.help) {
    io.stdout(commandHelp(app, command));
    return EXIT.ok;
  }
  if (propTokens !== undefined && !command.takesProps) {
    throw new UsageError(`'${invokedAs}' takes no properties after '--' (usage: ${app.name} ${command.usage[0]})`);
  }
  const typeWord = found.typeWord ?? typeBeforeId(command, options, positionals);
  const rest = typeWord !== undefined && found.typeWord === undefined ? positionals.slice(1) : positionals;
  const props = propTokens === undefined ? undefined : parseProps(propTokens);
  const ctx = new Context(app, command, invokedAs, rest, options, props, typeWord, io);
  try {
    const fromOptions = optionProps(ctx, undeclared);
    if (fromOptions.length) ctx.props = [...fromOptions, ...(props ?? [])];
    return (await command.run(ctx)) ?? EXIT.ok;
  } finally {
    ctx.close();
  }
}

/**
 * Runs one command line of `app` and returns the exit code. Every error a
 * user can act on becomes one line on stderr; a stack trace only with --debug.
 */
export async function runCli(app: CliApp, argv: string[], io: CliIo = defaultIo()): Promise<number> {
  try {
    if (argv[0] === COMPLETE_COMMAND) {
      const words = argv.slice(1);
      const rewritten = app.rewriteArgv && words.length > 1 ? [...app.rewriteArgv(words.slice(0, -1)), words.at(-1)!] : words;
      for (const c of completions(app, rewritten, io)) io.stdout(`${c}\n`);
      return EXIT.ok;
    }
    return await runParsed(app, app.rewriteArgv ? app.rewriteArgv(argv) : argv, io);
  } catch (err) {
    const debug = argv.includes('--debug') || !!io.env.PROPHET_DEBUG;
    // A message may echo a URL the user typed with a password in it: never print that.
    const say = (line: string) => io.stderr(`${redactUrls(line)}\n`);
    if (debug && err instanceof Error) say(`${err.stack}`);
    if (err instanceof UsageError) {
      say(`${app.name}: ${err.message}`);
      return EXIT.usage;
    }
    if (err instanceof ProphetError) {
      say(`${app.name}: ${err.message}`);
      return EXIT.error;
    }
    if (!debug) say(`${app.name}: internal error: ${err instanceof Error ? err.message : String(err)} (run again with --debug for details)`);
    return EXIT.internal;
  }
}
