/**
 * clone, pull, push, merge and conflicts: thin wrappers over
 * src/prophet/replication/operations.ts, with a progress bar on a terminal.
 */
import { redactUrls } from '../../model/redact.js';
import { SameReplicaError, type MergeProgress, type MergeReport } from '../../sync/merge.js';
import type { SyncSummary } from '../../sync/source.js';
import { ProphetError } from '../../model/errors.js';
import { AllReplicasError, eachReplica, pullAll, syncAll, type ReplicaOutcome } from '../../replication/all-replicas.js';
import { clone, conflicts, mergeUrls, pull, push, type SyncOptions } from '../../replication/operations.js';
import { terminalPrompt, type PromptSession } from '../conflict-prompt.js';
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { showTime } from '../time-format.js';

const MERGE_OPTIONS = { flags: ['force', 'dry-run'], values: ['prefer'], short: { n: 'dry-run', f: 'force' } };

/** A progress bar on stderr, only when it is a terminal and the output is for a person. */
async function progress(ctx: Context): Promise<{ onProgress?: (p: MergeProgress) => void; stop: () => void }> {
  if (ctx.json || !process.stderr.isTTY || ctx.env.TERM === 'dumb') return { stop: () => {} };
  // Loaded only when a bar is drawn, to keep it out of every command's start-up.
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{phase} [{bar}] {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  let shown = '';
  return {
    onProgress: (p) => {
      // An open-ended log (a foreign tracker's) has no known length: its source shows its own phases.
      if (p.total < p.done && !p.label) return;
      const phase = p.label ?? p.phase;
      if (started && phase !== shown) bar.stop();
      if (!started || phase !== shown) bar.start(p.total, 0, { phase });
      started = true;
      shown = phase;
      bar.setTotal(p.total);
      bar.update(p.done, { phase });
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

/**
 * Asks on the terminal when nothing else settles a conflict: only when
 * both ends of the conversation are a terminal. The progress bar is
 * stopped before each question, so it never draws over the prompt or the
 * answer; the next progress report starts it again below them.
 */
function conflictPrompt(ctx: Context, bar: { stop: () => void }): PromptSession | undefined {
  const stdin = ctx.io.stdin;
  if (!stdin?.isTTY || !ctx.isTTY) return undefined;
  const session = terminalPrompt(stdin, { write: ctx.io.stderr });
  return {
    prompt: (q) => {
      bar.stop();
      return session.prompt(q);
    },
    close: session.close,
  };
}

export async function withOptions(ctx: Context, fn: (opts: SyncOptions) => Promise<MergeReport | MergeReport[]>): Promise<MergeReport[]> {
  const result = await withSyncOptions(ctx, fn);
  return Array.isArray(result) ? result : [result];
}

/** Runs `fn` with the sync options the command line gives, a progress bar and a conflict prompt. */
async function withSyncOptions<T>(ctx: Context, fn: (opts: SyncOptions) => Promise<T>): Promise<T> {
  const bar = await progress(ctx);
  const asking = conflictPrompt(ctx, bar);
  try {
    return await fn({
      prefer: ctx.option('prefer'),
      force: ctx.flag('force'),
      dryRun: ctx.flag('dry-run'),
      env: ctx.env,
      app: ctx.app.definition,
      cwd: ctx.io.cwd,
      onProgress: bar.onProgress,
      prompt: asking?.prompt,
      schemes: ctx.app.schemes,
      interactive: !!ctx.io.stdin?.isTTY && process.stderr.isTTY,
    });
  } finally {
    asking?.close();
    bar.stop();
  }
}

function show(v: string | null): string {
  return v === null ? '(unset)' : JSON.stringify(v);
}

const changesets = (n: number) => `${n} changeset${n === 1 ? '' : 's'}`;

/** `3 tickets, 1 comment`: a foreign sync's records by type. */
function records(summary: SyncSummary): string {
  const parts = Object.entries(summary.records).map(([type, n]) => `${n} ${type}${n === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

/** A foreign sync's summary line, and its notices on stderr. */
function foreignSummary(ctx: Context, r: MergeReport, verb: string, where: string): string | undefined {
  if (!r.summary) return undefined;
  for (const notice of r.summary.notices) ctx.err(`${r.source}: ${notice}`);
  const n = r.summary.requests;
  return `${verb} ${records(r.summary)} ${where} (${r.changesets.integrated} changesets, ${n} request${n === 1 ? '' : 's'}).`;
}

/** A merge's report for a person; `pushedTo` words a push from the destination's side, which is what the user named. */
function printReports(ctx: Context, reports: MergeReport[], pushedTo?: string): void {
  if (ctx.json) {
    ctx.printJson(reports.length === 1 ? reports[0] : reports);
    return;
  }
  for (const r of reports) {
    if (r.dryRun) {
      const would = r.changesets.wouldMerge;
      if (pushedTo) ctx.out(would.length ? `Would push ${changesets(would.length)} to ${pushedTo}:` : `Nothing to push to ${pushedTo}.`);
      else ctx.out(would.length ? `Would merge ${changesets(would.length)} from ${r.source}:` : `Nothing new in ${r.source}.`);
      for (const c of would) ctx.out(`  ${c.id}  ${showTime(c.created)}  ${c.creator ?? '(no creator)'}  ${c.records} record${c.records === 1 ? '' : 's'}`);
      continue;
    }
    const n = r.changesets.integrated;
    const foreign = foreignSummary(ctx, r, pushedTo ? 'Pushed' : 'Pulled', pushedTo ? `to ${pushedTo}` : `from ${r.source}`);
    if (foreign) ctx.out(foreign);
    else if (pushedTo) ctx.out(n ? `Pushed ${changesets(n)} to ${pushedTo}.` : `Nothing to push to ${pushedTo}: it has every changeset of this replica.`);
    else ctx.out(n ? `Merged ${changesets(n)} from ${r.source}.` : `Already up to date: no new changesets in ${r.source}.`);
    for (const c of r.conflicts) {
      const what = c.name === '' ? 'existence' : `'${c.name}'`;
      ctx.out(`  conflict on ${c.record_type} ${c.record_uuid} ${what}: kept ${show(c.chosen)} (${c.how})`);
    }
  }
}

/**
 * What `sync` and `push --all` did, replica by replica (those that worked
 * are committed), then one error naming those that failed.
 */
function printOutcomes(ctx: Context, outcomes: ReplicaOutcome[]): void {
  if (ctx.json) ctx.printJson(outcomes.map((o) => ({ replica: o.replica, direction: o.direction, ...(o.report ? { report: o.report } : { error: redactUrls(o.error!) }) })));
  else {
    for (const o of outcomes) {
      if (o.report) printReports(ctx, [o.report], o.direction === 'push' ? o.replica : undefined);
      else ctx.out(`Could not ${o.direction === 'pull' ? 'pull from' : 'push to'} ${o.replica}: ${redactUrls(o.error!)}`);
    }
  }
  const failed = [...new Set(outcomes.filter((o) => o.error !== undefined).map((o) => o.replica))];
  if (failed.length) {
    const total = new Set(outcomes.map((o) => o.replica)).size;
    throw new ProphetError(`could not sync with ${failed.length} of ${total} replicas (${failed.join(', ')}); the others were synced`, 'partial');
  }
}

function needWord(ctx: Context, option: string): string {
  const given = ctx.option(option) ?? ctx.words[0];
  if (!given) throw new UsageError(`${ctx.command.names[0]} needs --${option} URL|NAME (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
  ctx.noMoreWords(ctx.option(option) === undefined ? 1 : 0);
  return given;
}

export const cloneCommand: Command = {
  names: ['clone'],
  summary: 'Create a replica as a copy of another (the new replica goes to --to DIR, else --repo)',
  usage: ['clone --from URL [--to DIR] [--token TOKEN]'],
  options: { flags: ['force'], values: ['from', 'to', 'prefer', 'token'] },
  async run(ctx) {
    const from = needWord(ctx, 'from');
    const to = ctx.option('to') ?? ctx.replicaRoot();
    const reports = await withOptions(ctx, async (opts) => {
      const { replica, report } = await clone(from, to, { ...opts, token: ctx.option('token') });
      replica.close();
      return report;
    });
    if (ctx.json) ctx.printJson({ root: to, ...reports[0] });
    else ctx.out(foreignSummary(ctx, reports[0]!, 'Cloned', `from ${redactUrls(from)} into ${to}`) ?? `Cloned ${changesets(reports[0]!.changesets.integrated)} from ${redactUrls(from)} into ${to}.`);
  },
};

export const pullCommand: Command = {
  names: ['pull'],
  summary: 'Merge the changesets of another replica that this one has not seen',
  usage: ['pull --from URL|NAME [--prefer source|target] [--force] [--dry-run] [--token TOKEN]', 'pull --all [--prefer source|target]'],
  options: { ...MERGE_OPTIONS, flags: [...MERGE_OPTIONS.flags, 'all'], values: [...MERGE_OPTIONS.values, 'from', 'token'] },
  async run(ctx) {
    const replica = ctx.replica();
    if (ctx.flag('all')) {
      ctx.noMoreWords(0);
      try {
        const reports = await withOptions(ctx, (opts) => pullAll(replica, opts));
        if (ctx.json) ctx.printJson(reports);
        else printReports(ctx, reports);
      } catch (err) {
        if (!(err instanceof AllReplicasError)) throw err;
        // What was pulled is committed: show it, then fail on the rest.
        if (ctx.json) ctx.printJson([...err.reports, ...err.failures.map((f) => ({ source: redactUrls(f.source), error: redactUrls(f.error) }))]);
        else printReports(ctx, err.reports);
        throw err;
      }
      return;
    }
    const from = needWord(ctx, 'from');
    try {
      printReports(ctx, await withOptions(ctx, (opts) => pull(replica, from, { ...opts, token: ctx.option('token') })));
    } catch (err) {
      // As `git pull .`: pulling from yourself has nothing to bring.
      if (!(err instanceof SameReplicaError)) throw err;
      if (ctx.json) ctx.printJson({ source: redactUrls(from), upToDate: true, changesets: { integrated: 0 } });
      else ctx.out(`Already up to date: ${redactUrls(from)} is this replica.`);
    }
  },
};

export const pushCommand: Command = {
  names: ['push'],
  summary: 'Merge the changesets of this replica into another replica on this machine, or into a prophet server',
  // The token is best given as PROPHET_TOKEN or kept in the credentials file: an argument shows in the process list.
  usage: ['push --to URL|NAME [--prefer source|target] [--force] [--dry-run]', 'push --to http://HOST:PORT/|NAME [--token TOKEN]', 'push --all [--prefer source|target]'],
  options: { ...MERGE_OPTIONS, flags: [...MERGE_OPTIONS.flags, 'all'], values: [...MERGE_OPTIONS.values, 'to', 'token'] },
  async run(ctx) {
    const replica = ctx.replica();
    if (ctx.flag('all')) {
      ctx.noMoreWords(0);
      const outcomes = await withSyncOptions(ctx, (opts) => eachReplica(replica, 'push', opts));
      if (!outcomes.length) throw new ProphetError("no replicas are configured to push to: add one with 'config replica.NAME.url URL'", 'usage');
      return printOutcomes(ctx, outcomes);
    }
    const to = needWord(ctx, 'to');
    printReports(ctx, await withOptions(ctx, (opts) => push(replica, to, { ...opts, token: ctx.option('token') })), redactUrls(to));
  },
};

export const syncCommand: Command = {
  names: ['sync'],
  summary: 'Pull from every configured replica, then push to every one: a gateway between trackers in one command',
  usage: ['sync [--prefer source|target] [--dry-run]'],
  options: { flags: ['dry-run'], values: ['prefer'], short: { n: 'dry-run' } },
  async run(ctx) {
    ctx.noMoreWords(0);
    const replica = ctx.replica();
    printOutcomes(ctx, await withSyncOptions(ctx, (opts) => syncAll(replica, opts)));
  },
};

export const mergeCommand: Command = {
  names: ['merge'],
  summary: 'Merge the changesets of one replica into another (A into B)',
  usage: ['merge --from A --to B [--prefer source|target] [--force] [--dry-run]'],
  options: { ...MERGE_OPTIONS, values: [...MERGE_OPTIONS.values, 'from', 'to'] },
  async run(ctx) {
    const from = ctx.option('from');
    const to = ctx.option('to');
    if (!from || !to) throw new UsageError(`merge needs both --from and --to (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
    ctx.noMoreWords(0);
    printReports(ctx, await withOptions(ctx, (opts) => mergeUrls(from, to, opts)));
  },
};

export const conflictsCommand: Command = {
  names: ['conflicts'],
  summary: 'List the conflicts merges settled without asking: what was chosen, how, and on whose decision',
  usage: ['conflicts'],
  run(ctx) {
    ctx.noMoreWords(0);
    const list = conflicts(ctx.replica());
    if (ctx.json) {
      ctx.printJson(list);
      return;
    }
    if (!list.length) ctx.out('No conflicts.');
    for (const c of list) {
      const what = c.name === '' ? 'existence' : `'${c.name}'`;
      const candidates = c.name === '' ? 'live vs deleted' : c.candidates.map(show).join(' vs ');
      const chosen = c.name === '' ? (c.chosen === null ? 'deleted' : 'live') : show(c.chosen);
      const by = c.decidedBy.length ? ` by ${c.decidedBy.join(', ')}` : '';
      ctx.out(`${showTime(c.at)}  ${c.record_type} ${c.record_uuid} ${what}: ${candidates} -> ${chosen} (${c.how}${by}; from ${c.source})`);
    }
  },
};

export const syncCommands: Command[] = [cloneCommand, pullCommand, pushCommand, syncCommand, mergeCommand, conflictsCommand];
