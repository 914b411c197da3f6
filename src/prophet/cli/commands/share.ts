import { isAbsolute, resolve } from 'node:path';
import type { Replica } from '../../replica/replica.js';
import { publishToDirectory } from '../../publish/publish.js';
import { isRemoteDestination, publishRemote } from '../../publish/remote.js';
import { createToken, listTokens, parseScopes, revokeToken, type TokenInfo } from '../../server/tokens.js';
import { preferenceFrom } from '../../replication/operations.js';
import { createBundle } from '../../transports/bundle.js';
import type { Command } from '../command.js';
import { hubInitCommand } from './hub.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { showTime } from '../time-format.js';

/** A path the user typed, taken from the CLI's working directory. */
function userPath(ctx: Context, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.io.cwd, path);
}

/** `--to DEST` or the first word; a name configured as `replica.NAME.publish-url` stands for its URL. */
function publishDestination(ctx: Context, replica: Replica): { dest: string; shell?: string } {
  const given = ctx.option('to') ?? ctx.words[0];
  if (!given) throw new UsageError(`publish where? give a directory or host:path (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
  ctx.noMoreWords(ctx.option('to') === undefined ? 1 : 0);
  const configured = replica.config.get(`replica.${given}.publish-url`);
  return { dest: configured ?? given, shell: replica.config.get(`replica.${given}.publish-shell`) };
}

export const publishCommand: Command = {
  names: ['publish'],
  summary: 'Publish the replica as static files any web server can serve (then others pull or clone from its URL)',
  usage: ['publish --to DIR|HOST:PATH|NAME [--html]', 'publish DIR|HOST:PATH|NAME [--html]'],
  options: { flags: ['html'], values: ['to'] },
  async run(ctx) {
    const replica = ctx.replica();
    const { dest, shell } = publishDestination(ctx, replica);
    const html = ctx.flag('html');
    const opts = { html, htmlExport: html ? await ctx.app.htmlExport?.() : undefined };
    const remote = isRemoteDestination(dest);
    const result = remote ? publishRemote(replica, dest, { ...opts, shell }) : publishToDirectory(replica, userPath(ctx, dest), opts);
    if (ctx.json) {
      ctx.printJson({ destination: dest, remote, ...result });
      return;
    }
    const packs = remote ? 'copied with rsync' : `${result.packsWritten} new pack${result.packsWritten === 1 ? '' : 's'}, ${result.packsKept} unchanged`;
    ctx.out(`Published ${result.changesets} changesets to ${dest} (${packs})${opts.html ? ', with HTML pages under html/' : ''}.`);
  },
};

/** Resolves when the process is asked to stop; the server then closes cleanly. */
export function untilStopped(): Promise<string> {
  return new Promise((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done(signal));
  });
}

export const serverCommand: Command = {
  names: ['server'],
  summary: 'Serve the replica over HTTP: the replica protocol (pull, clone, push) and a JSON REST API',
  usage: ['server [--port N] [--host H] [--writable] [--public] [--tls-cert FILE --tls-key FILE] [--insecure] [--prefer source|target]'],
  options: { flags: ['writable', 'public', 'insecure'], values: ['port', 'host', 'prefer', 'tls-cert', 'tls-key'] },
  async run(ctx) {
    ctx.noMoreWords();
    // Loaded here, not at the top: fastify costs every other command ~100 ms of start-up.
    const { DEFAULT_HOST, DEFAULT_PORT, startServer } = await import('../../server/listen.js');
    const { loadTls } = await import('../../server/tls.js');
    const replica = ctx.replica();
    const config = replica.config;
    const port = ctx.intOption('port') ?? Number(config.get('server.default-port') ?? DEFAULT_PORT);
    if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port takes a port number (0-65535), not '${port}'`);
    const host = ctx.option('host') ?? DEFAULT_HOST;
    const writable = ctx.flag('writable');
    const [certFile, keyFile] = [ctx.option('tls-cert'), ctx.option('tls-key')];
    if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('give --tls-cert FILE and --tls-key FILE together');
    const tls = certFile !== undefined && keyFile !== undefined ? loadTls(userPath(ctx, certFile), userPath(ctx, keyFile)) : undefined;
    const prefer = preferenceFrom(ctx.option('prefer') ?? config.get('server.push-prefer'), {});
    const server = await startServer(replica, {
      port,
      host,
      writable,
      public: ctx.flag('public') || undefined,
      tls,
      insecure: ctx.flag('insecure'),
      push: { prefer },
      log: (line) => ctx.err(line),
      extensions: ctx.app.serverExtensions,
    });
    const reads = server.public ? 'reads open to all' : 'reads need a token with the read scope';
    ctx.out(`Serving ${replica.root} at ${server.url} (${writable ? 'writable with a token' : 'read-only'}; ${reads}); Ctrl-C stops it.`);
    const home = ctx.app.serverExtensions?.find((e) => e.home)?.home;
    if (home) ctx.out(`Web interface: ${new URL(home, server.url).href}${writable ? ' (log in with a token that has the write scope to change things)' : ''}`);
    if ((writable || !server.public) && listTokens(replica).length === 0) ctx.err(`No tokens yet: create one with '${ctx.app.name} server token create'.`);
    if (server.public && !server.loopback) ctx.err(`Listening on ${host}: anyone who can reach it can read this replica.`);
    await untilStopped();
    await server.close();
  },
};

/** `read, push, write` and `(Bug only)`, as `token list` shows them. */
function describeGrant(t: TokenInfo): string {
  return `${t.scopes.join(',')}${t.type !== undefined ? ` (${t.type} only)` : ''}`;
}

export const tokenCreateCommand: Command = {
  names: ['server token create'],
  summary: 'Create a token that lets its holder read, push to or write through this replica\'s server',
  usage: ['server token create [--label TEXT] [--scope read,push,write] [--type TYPE]'],
  options: { values: ['label', 'scope', 'type'] },
  run(ctx) {
    ctx.noMoreWords();
    const scope = ctx.option('scope');
    const { token, info } = createToken(ctx.replica(), ctx.option('label') ?? '', { scopes: scope === undefined ? undefined : parseScopes(scope), type: ctx.option('type') });
    if (ctx.json) ctx.printJson({ ...info, token });
    else ctx.out(token, '', `Token ${info.id} created (${describeGrant(info)}). It is shown only this once; give it to whoever may use it (they set PROPHET_TOKEN, or save it with '${ctx.app.name} config replica.NAME.token TOKEN').`);
  },
};

export const tokenListCommand: Command = {
  names: ['server token list'],
  summary: 'List the server tokens (ids, scopes and labels, never the secrets)',
  usage: ['server token list'],
  run(ctx) {
    ctx.noMoreWords();
    const tokens = listTokens(ctx.replica());
    if (ctx.json) ctx.printJson(tokens);
    else if (!tokens.length) ctx.out('No server tokens.');
    else for (const t of tokens) ctx.out(`${t.id}  ${showTime(t.created)}  ${describeGrant(t)}${t.label ? `  ${t.label}` : ''}`);
  },
};

export const tokenRevokeCommand: Command = {
  names: ['server token revoke'],
  summary: 'Revoke a server token by its id',
  usage: ['server token revoke ID'],
  run(ctx) {
    const id = ctx.words[0];
    if (!id) throw new UsageError(`which token? give its id (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
    ctx.noMoreWords(1);
    revokeToken(ctx.replica(), id);
    ctx.out(`Revoked token ${id}.`);
  },
};

export const bundleCreateCommand: Command = {
  names: ['bundle create'],
  summary: 'Write changesets to one file to carry by hand; apply it with pull --from FILE',
  usage: ['bundle create FILE [--since N]'],
  options: { values: ['since'] },
  run(ctx) {
    const file = ctx.words[0];
    if (!file) throw new UsageError(`bundle into which file? (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
    ctx.noMoreWords(1);
    const summary = createBundle(ctx.replica(), userPath(ctx, file), ctx.intOption('since') ?? 0);
    if (ctx.json) ctx.printJson({ file, ...summary });
    else ctx.out(`Wrote ${summary.changesets} changesets${summary.since ? ` (after ${summary.since})` : ''} and ${summary.resolutions} resolutions to ${file}.`);
  },
};

/** Publishing, serving and carrying a replica. */
export const shareCommands: Command[] = [publishCommand, serverCommand, hubInitCommand, tokenCreateCommand, tokenListCommand, tokenRevokeCommand, bundleCreateCommand];
