/**
 * Prophet's public API: everything an application built on Prophet (SD, a
 * phone book...) may use. Apps import from here only; what is not here is
 * Prophet's own business and may change.
 */

// Plain data, errors, the write rule.
export type { Change, ChangeType, Changeset, ChangesetContent, PropChange, Properties, RecordState } from './model/types.js';
export { isInternalType } from './model/types.js';
export { redactUrls } from './model/redact.js';
export { BadDataError, ProphetError, ValidationError, type ErrorCode } from './model/errors.js';
export { EXISTENCE, type Head } from './model/write-state.js';

// The database handle.
export { GENERIC_APP, Replica, SETTINGS_TYPE, type AppDefinition, type InitOptions, type Metadata, type OpenOptions, type SettingDefinition } from './replica/replica.js';
export type { RecordRow } from './store/store.js';
export type { Edit } from './replica/edit.js';
export type { HookContext, QueryExpansion, QueryWord, RecordTypeDefinition } from './replica/record-types.js';
export { comparison, parseQuery, QueryError, queryValue, timeOf, type CompareOp, type ParsedQuery, type PropTerm, type QuerySort, type QueryTerm, type RegexTerm, type TextTerm } from './model/query.js';
export { runQuery, type Condition, type QueryOptions, type QueryResult } from './replica/query.js';
export { countValues, criteriaConditions, referencing, search, searchPage, type Comparator, type Criterion, type OrderKey, type PageOptions, type SearchPage, type SearchQuery, type ValueCounts } from './replica/search.js';
export { changeSeqs, diffSince, history, parseLogRange, recordAsOf, type HistoryEntry, type PastState, type PropertyDifference } from './replica/history.js';
export { undo } from './replica/undo.js';
export { compilePattern, type ValueTest } from './replica/pattern.js';
export { getSetting, listSettings, parseSettingValue, setSetting, type SettingValue } from './replica/settings.js';
export { Config, identityFrom, type ConfigScope } from './replica/config.js';
export { KeyRing, type KnownKey, type SignatureCheck, type SignatureStatus } from './replica/key-ring.js';
export { trustPolicy, setTrustPolicy, trustedKeys, type TrustedKey, type TrustPolicyName } from './replica/trust-list.js';

// Sync: sources, targets, the merge engine.
export type { ChangesetEntry, ChangesetSource, ReplicaIdentity } from './sync/source.js';
export type { ChangesetTarget, Incoming, IncomingLog, IntegrateOptions, IntegrationReport, MergeProgress, PhaseReport, TargetIdentity, TargetTickets } from './sync/target.js';
export { merge, type MergeOptions, type MergeReport } from './sync/merge.js';
export { ReplicaTarget } from './sync/replica-target.js';
export { verifyEntry, type VerifiedChangeset } from './sync/tickets.js';
export type { ConflictReport } from './sync/journal.js';
export type { ConflictPrompt, PromptQuestion } from './sync/integrate.js';
export { TrustPolicy, UntrustedChangesetError } from './sync/trust.js';

// Replica URLs: the scheme registry an app adds its own kinds of URL to.
export { builtinSchemes, SchemeRegistry, type Scheme, type SchemeOptions } from './transports/schemes.js';
export { MemorySource } from './transports/memory-source.js';
// Bounded HTTP for connectors: timeouts, body limits, the watchdog.
export { httpTimeouts, describeWait, TIMEOUT_ENV, CONNECT_TIMEOUT_MS, type HttpTimeouts } from './transports/http-timeouts.js';
export { readBody, Watchdog } from './transports/http-body.js';
export { describeBytes, overLimit, JSON_ANSWER_LIMIT, REASON_LIMIT, MIB, type ByteLimit } from './transports/limits.js';
export { Credentials, splitPassword } from './replica/credentials.js';
export { LocalReplicaSource } from './transports/local-source.js';

// Foreign trackers (RT...): a connector per tracker, registered as a scheme.
export { foreignScheme, urlUuid, type Applied, type ForeignConnector, type ForeignContext, type ForeignSchemeDefinition, type LocalChange, type RemoteChange, type RemoteHistory, type RemoteRef, type RemoteTransaction } from './foreign/index.js';
export type { Bookkeeping, SyncSummary } from './sync/source.js';

// Clone, pull, push between replica URLs.
export { clone, conflicts, mergeUrls, preferenceFrom, pull, push, type SyncOptions } from './replication/operations.js';
export { AllReplicasError, pullAll, pushAll, syncAll, type ReplicaOutcome } from './replication/all-replicas.js';

// The command-line framework.
export { coreCommands, compileSummaryFormat, formatRecordLine, runCli, summarize, summaryFormatFor, Context, EXIT, UsageError, type CliApp, type CliIo, type Command, type OptionSpec } from './cli/index.js';
export { GLOBAL_OPTIONS } from './cli/args.js';
export { commandQuery, QUERY_OPTIONS, SAVED_SEARCH_PREFIX } from './cli/query-args.js';
export { describeSignature, signatureJson } from './cli/format.js';
export { dispatch } from './cli/dispatch.js';
export { commandHelp } from './cli/help.js';
export { packageVersion } from './cli/version.js';
export { jsonTime, showTime, timeValue } from './cli/time-format.js';
export { tableLines } from './cli/table.js';
export { compileSummaryColumns } from './cli/summary-format.js';

// The HTTP server, and what an app adds to it (a web UI).
export type { ListenOptions, RunningServer } from './server/listen.js';
export type { ExtensionContext, FormWrites, ServerExtension } from './server/extension.js';
export type { HtmlExport } from './publish/publish.js';
export { CSRF_FIELD, type BrowserSession } from './server/browser-sessions.js';
export { HttpProblem } from './server/errors.js';
export { untilStopped } from './cli/commands/share.js';
/** The server, loaded on first use: fastify costs every other command ~100 ms of start-up. */
export const loadServer = () => import('./server/listen.js');
