/** The CLI framework's public surface, for apps (sd) and command modules (sync, publish). */
export type { CliApp, Command, OptionSpec } from './command.js';
export { Context, type CliIo } from './context.js';
export { UsageError, EXIT } from './errors.js';
export { runCli } from './run.js';
export { coreCommands } from './commands/index.js';
export { compileSummaryFormat, summarize, formatRecordLine, summaryFormatFor } from './summary-format.js';
export { commandQuery, QUERY_OPTIONS, SAVED_SEARCH_PREFIX } from './query-args.js';
