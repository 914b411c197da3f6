/**
 * Shell completion: `PROGRAM completion bash|zsh|fish` prints a script that
 * asks `PROGRAM __complete WORDS...` for the candidates of the last word,
 * so commands, options, property names and local ids complete from the
 * same command table and replica the program itself uses.
 */
import { isInternalType } from '../model/types.js';
import { Replica } from '../replica/replica.js';
import { isOptionToken, withGlobalOptions } from './args.js';
import type { CliApp, Command } from './command.js';
import { Context, type CliIo } from './context.js';
import { locateCommand } from './dispatch.js';
import { UsageError } from './errors.js';

/** The hidden command the scripts call: handled before parsing, since the words it gets are any partial command line. */
export const COMPLETE_COMMAND = '__complete';

/** How many local ids to offer at most: a long list helps nobody. */
const MAX_IDS = 200;

const SCRIPTS: Record<string, (name: string) => string> = {
  bash: (name) => `# ${name} completion for bash: add to ~/.bashrc
#   source <(${name} completion bash)
_${name}_complete() {
  local IFS=$'\\n'
  COMPREPLY=( $(${name} ${COMPLETE_COMMAND} "\${COMP_WORDS[@]:1:$COMP_CWORD}" 2>/dev/null) )
}
complete -o default -F _${name}_complete ${name}
`,
  zsh: (name) => `#compdef ${name}
# ${name} completion for zsh: add to ~/.zshrc (after compinit)
#   source <(${name} completion zsh)
_${name}() {
  local -a candidates
  candidates=("\${(@f)$(${name} ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _${name} ${name}
`,
  fish: (name) => `# ${name} completion for fish: save as ~/.config/fish/completions/${name}.fish
#   ${name} completion fish > ~/.config/fish/completions/${name}.fish
function __${name}_complete
  set -l tokens (commandline -opc) (commandline -ct)
  ${name} ${COMPLETE_COMMAND} $tokens[2..-1] 2>/dev/null
end
complete -c ${name} -f -a '(__${name}_complete)'
`,
};

export const completionCommand: Command = {
  names: ['completion'],
  summary: 'Print a shell completion script (bash, zsh or fish)',
  usage: ['completion bash|zsh|fish'],
  run(ctx) {
    const shell = ctx.words[0];
    ctx.noMoreWords(1);
    const script = shell === undefined ? undefined : SCRIPTS[shell];
    if (!script) throw new UsageError(`completion needs a shell: one of ${Object.keys(SCRIPTS).join(', ')}`);
    ctx.io.stdout(script(ctx.app.name));
  },
};

/** Names that go after `words` among the app's commands: `ticket ` → create, list, show... */
function nextCommandWords(app: CliApp, words: string[]): string[] {
  const out = new Set<string>();
  for (const c of app.commands) {
    for (const name of c.names) {
      const parts = name.split(' ');
      if (parts.length > words.length && words.every((w, i) => parts[i] === w) && !name.startsWith('_')) out.add(parts[words.length]!);
    }
  }
  return [...out];
}

/** Local ids of live records a command works on: its record type when the app has one by that name, else the type given. */
function localIds(app: CliApp, command: Command, invokedAs: string, typeWord: string | undefined, io: CliIo): string[] {
  const types = app.definition.recordTypes?.map((t) => t.type) ?? [];
  const type = invokedAs.split(' ').filter((w) => types.includes(w)).pop() ?? typeWord;
  if (!type || isInternalType(type) || !command.usage.some((u) => /\bID\b|TICKET-ID/.test(u))) return [];
  const ctx = new Context(app, command, invokedAs, [], {}, undefined, typeWord, io);
  const root = ctx.replicaRoot();
  if (!Replica.exists(root)) return [];
  try {
    return ctx.replica().liveRecords(type).slice(0, MAX_IDS).map((r) => String(r.luid));
  } finally {
    ctx.close();
  }
}

/** Commands that run or make a hub, where --store is completed. */
const HUB_COMMAND = /^(server|hub)\b/;

/** Property names `--name` may set, for apps that take them as options. */
function propertyNames(app: CliApp, command: Command, invokedAs: string, rest: string[], io: CliIo): string[] {
  if (!command.takesProps || !app.propertyOptions) return [];
  const ctx = new Context(app, command, invokedAs, rest, {}, undefined, undefined, io);
  try {
    return [...app.propertyOptions(ctx)];
  } catch {
    return [];
  } finally {
    ctx.close();
  }
}

/** The candidates for the last of `words` (the word being typed, maybe empty), those that start with it. */
export function completions(app: CliApp, words: string[], io: CliIo): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const propStart = before.findIndex((t) => t === '--' || t === '--props');
  const head = propStart < 0 ? before : before.slice(0, propStart);
  const { found, words: typed } = locateCommand(app, head);
  let candidates: string[];
  if (!found || found.rest.length === 0 && !isOptionToken(current) && nextCommandWords(app, typed).length) {
    candidates = nextCommandWords(app, typed);
    if (found) candidates.push(...localIds(app, found.command, found.invokedAs, found.typeWord, io));
  } else if (propStart >= 0) {
    candidates = propertyNames(app, found.command, found.invokedAs, found.rest, io).map((p) => `${p}=`);
  } else if (isOptionToken(current)) {
    const spec = withGlobalOptions(found.command.options);
    const props = propertyNames(app, found.command, found.invokedAs, found.rest, io);
    // --store names a hub's database: offered where hubs are run, so `--st` still completes `--status` on records.
    const values = HUB_COMMAND.test(found.command.names[0]!) ? spec.values : spec.values.filter((v) => v !== 'store');
    candidates = [...spec.flags, ...values, ...props].map((o) => `--${o}`);
  } else {
    candidates = localIds(app, found.command, found.invokedAs, found.typeWord, io);
  }
  return [...new Set(candidates)].filter((c) => c.startsWith(current)).sort();
}
