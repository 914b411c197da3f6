import { spawn } from 'node:child_process';
import { loadServer, untilStopped, UsageError } from '../../../prophet/index.js';
import type { Command } from '../../../prophet/index.js';
import { sdWebUi } from '../../web/extension.js';

/** `$BROWSER`, else the system's opener; false when none could be started. */
function openBrowser(url: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const opener = env.BROWSER || (process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open');
  return new Promise((done) => {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true, env });
    child.once('error', () => done(false));
    child.once('spawn', () => {
      child.unref();
      done(true);
    });
  });
}

export const browserCommand: Command = {
  names: ['browser'],
  summary: 'Open SD in your web browser: a server on 127.0.0.1 where your browser may change tickets',
  usage: ['browser [--port N]'],
  options: { values: ['port'] },
  async run(ctx) {
    ctx.noMoreWords();
    const port = ctx.intOption('port') ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number (0-65535), not '${port}'`);
    const replica = ctx.replica();
    const { startServer } = await loadServer();
    const server = await startServer(replica, { port, host: '127.0.0.1', localForms: true, extensions: [sdWebUi], log: (line) => ctx.err(line) });
    const url = new URL(sdWebUi.home!, server.url).href;
    const opened = await openBrowser(url, ctx.env);
    ctx.out(`SD is at ${url}${opened ? '' : ' (open it in your browser)'}; Ctrl-C stops it.`);
    await untilStopped();
    await server.close();
  },
};
