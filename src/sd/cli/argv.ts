import { dispatch, GLOBAL_OPTIONS, UsageError } from '../../prophet/index.js';
import type { CliApp } from '../../prophet/index.js';

/** `?topic` → `help topic`; `about`, `copying` → their help pages (reference §2.3). */
function helpShortcuts(argv: string[]): string[] {
  const [first, ...rest] = argv;
  if (first?.startsWith('?')) return ['help', ...(first.length > 1 ? [first.slice(1)] : []), ...rest];
  if ((first === 'about' || first === 'copying') && rest.length === 0) return ['help', first];
  return argv;
}

/** `sd list tickets`, `sd show ticket 3` → `sd ticket list`, `sd ticket show 3`. */
function reversedOrder(argv: string[]): string[] {
  const [verb, noun, ...rest] = argv;
  if (verb === undefined || verb === 'help' || verb === 'ticket' || verb.startsWith('-')) return argv;
  if (noun !== 'ticket' && noun !== 'tickets') return argv;
  return ['ticket', verb, ...rest];
}

/**
 * For commands that set properties, `--summary "..." --status new` (the
 * 2008 talk's form) means `-- summary="..." status=new`: options the
 * command does not declare become properties.
 */
function optionsAsProps(app: CliApp, argv: string[]): string[] {
  const propStart = argv.findIndex((t) => t === '--' || t === '--props');
  const head = propStart < 0 ? argv : argv.slice(0, propStart);
  const firstOption = head.findIndex((t) => t.startsWith('-'));
  if (firstOption < 0) return argv;
  const found = dispatch(app, head.slice(0, firstOption));
  if (!found?.command.takesProps) return argv;
  const spec = found.command.options ?? {};
  const declaredValues = new Set([...GLOBAL_OPTIONS.values, ...(spec.values ?? [])]);
  const declared = new Set([...declaredValues, ...GLOBAL_OPTIONS.flags, ...(spec.flags ?? [])]);
  const kept: string[] = head.slice(0, firstOption);
  const props: string[] = [];
  for (let i = firstOption; i < head.length; i++) {
    const token = head[i]!;
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(token);
    if (!m || declared.has(m[1]!)) {
      kept.push(token);
      if (m && m[2] === undefined && declaredValues.has(m[1]!) && i + 1 < head.length) kept.push(head[++i]!);
      continue;
    }
    const value = m[2] ?? (i + 1 < head.length && !head[i + 1]!.startsWith('-') ? head[++i] : undefined);
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value: --${m[1]} VALUE (or -- ${m[1]}=VALUE)`);
    props.push(`${m[1]}=${value}`);
  }
  if (!props.length) return argv;
  const after = propStart < 0 ? [] : argv.slice(propStart + 1);
  return [...kept, '--', ...props, ...after];
}

/** SD's command-line rewrites, applied before the framework parses. */
export function rewriteArgv(app: CliApp, argv: string[]): string[] {
  return optionsAsProps(app, reversedOrder(helpShortcuts(argv)));
}
