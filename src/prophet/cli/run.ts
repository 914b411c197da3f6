import { ProphetError } from '../model/errors.js';
import { redactUrls } from '../model/redact.js';
import { Config } from '../replica/config.js';
import { Replica } from '../replica/replica.js';
import { aliasesOf, expandAliases } from './aliases.js';
import { hoistGlobalOptions, parseOptions, parseProps, splitArgv } from './args.js';
import type { CliApp } from './command.js';
import { Context, type CliIo } from './context.js';
import { EXIT, UsageError } from './errors.js';
import { dispatch } from './dispatch.js';
import { commandHelp, overview } from './help.js';

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

/** What to say about words that name no command: for a group (`sd ticket frob`), its sub-commands. */
function unknownCommand(app: CliApp, words: string[]): UsageError {
  const group = `${words[0]} `;
  const subs = [...new Set(app.commands.map((c) => c.names[0]!).filter((n) => n.startsWith(group)).map((n) => n.slice(group.length).split(' ')[0]!))];
  if (!subs.length) return new UsageError(`'${words[0]}' is not a ${app.name} command; '${app.name} help' lists them`);
  const typed = words.length > 1 ? `'${words[0]} ${words[1]}' is not a ${app.name} command` : `'${words[0]}' needs a sub-command`;
  return new UsageError(`${typed}; try one of: ${subs.join(', ')}`);
}

async function runParsed(app: CliApp, argv: string[], io: CliIo): Promise<number> {
  const expanded = expandAliases(argv, aliasesOf(aliasConfig(app, argv, io)));
  const { words, optionTokens, propTokens } = splitArgv(expanded);
  if (words.length === 0) {
    const topLevel = parseOptions(optionTokens, { flags: ['version'], short: { V: 'version' } }, app.name);
    io.stdout(topLevel.version ? `${app.name} ${app.version}\n` : overview(app));
    return EXIT.ok;
  }
  const found = dispatch(app, words);
  if (!found) throw unknownCommand(app, words);
  const { command, invokedAs, rest, typeWord } = found;
  const options = parseOptions(optionTokens, command.options ?? {}, invokedAs);
  if (options.help) {
    io.stdout(commandHelp(app, command));
    return EXIT.ok;
  }
  if (propTokens !== undefined && !command.takesProps) {
    throw new UsageError(`'${invokedAs}' takes no properties after '--' (usage: ${app.name} ${command.usage[0]})`);
  }
  const props = propTokens === undefined ? undefined : parseProps(propTokens);
  const ctx = new Context(app, command, invokedAs, rest, options, props, typeWord, io);
  try {
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
    const hoisted = hoistGlobalOptions(argv);
    return await runParsed(app, app.rewriteArgv ? app.rewriteArgv(hoisted) : hoisted, io);
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
