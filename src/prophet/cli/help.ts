import type { CliApp, Command } from './command.js';

/** The command list shown by `help` and by the program run without words. */
export function overview(app: CliApp): string {
  const seen = new Set<Command>();
  const rows: Array<[string, string]> = [];
  for (const c of app.commands) {
    // An app's override hides the command it replaces.
    if (seen.has(c) || rows.some(([name]) => name === c.names[0])) continue;
    seen.add(c);
    rows.push([c.names[0]!, c.summary]);
  }
  const width = Math.max(...rows.map(([n]) => n.length));
  return [
    app.helpIntro,
    '',
    'Commands:',
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Options for every command:',
    `  --repo DIR   the replica (default: $${app.repoEnv}, else ${app.defaultRepo})`,
    '  --json       print data as JSON',
    '  --debug      show stack traces on errors',
    '  --help, -h   show a command\'s usage',
    '  --no-color   no colour (also NO_COLOR); --no-pager: print long output as it is',
    '  Options may go anywhere before --; after -- come properties.',
    '',
    `Run '${app.name} help COMMAND' for a command's usage.`,
    '',
  ].join('\n');
}

/** One command's usage lines, summary and other names. */
export function commandHelp(app: CliApp, command: Command): string {
  const lines = command.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}${app.name} ${u}`);
  lines.push('', command.summary);
  if (command.names.length > 1) lines.push(`Also: ${command.names.slice(1).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
