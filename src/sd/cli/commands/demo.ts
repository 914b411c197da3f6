import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../prophet/index.js';
import type { Command, Context, Replica } from '../../../prophet/index.js';
import { initSdReplica } from '../../model/app.js';
import { attachmentProperties } from '../../model/attachments.js';
import { ATTACHMENT, COMMENT, TICKET } from '../../model/record-types.js';

const DEMO_EMAIL = 'demo@example.com';

/** A tiny PNG (1×1 pixel): the demo's attachment is binary, to show it survives byte for byte. */
const PIXEL = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5270de40000000049454e44ae426082',
  'hex',
);

async function fillDemo(replica: Replica): Promise<{ sync: number; bytes: number; docs: number; pixel: number }> {
  const sync = replica.create(TICKET, { summary: "Can't sync sd with Google Code", status: 'new', component: 'core' });
  replica.create(COMMENT, { ticket: sync.uuid, content: 'Google Code is gone; a GitHub replica would do.' });
  const bytes = replica.create(TICKET, { summary: 'Attachments must keep every byte', status: 'open', owner: 'alice@example.com', due: 'next friday', milestone: 'beta' });
  replica.create(COMMENT, { ticket: bytes.uuid, content: 'Here is a one-pixel PNG to check with.', creator: 'alice@example.com' });
  const pixel = replica.create(ATTACHMENT, { ...(await attachmentProperties(PIXEL, 'pixel.png')), ticket: bytes.uuid });
  replica.update(TICKET, bytes.uuid, { status: 'stalled' });
  replica.update(TICKET, bytes.uuid, { status: 'open' });
  const docs = replica.create(TICKET, { summary: 'Write the user guide', component: 'docs', milestone: '1.0' });
  replica.create(COMMENT, { ticket: docs.uuid, content: 'docs/sd.md now covers every command.' });
  replica.update(TICKET, docs.uuid, { status: 'resolved' });
  replica.create(TICKET, { summary: 'Colour only on a terminal', component: 'ui' });
  return { sync: sync.luid, bytes: bytes.luid, docs: docs.luid, pixel: pixel.luid };
}

/** Runs one sd command line in the demo database and prints it as the user would type it. */
async function tour(ctx: Context, env: NodeJS.ProcessEnv, argv: string[]): Promise<void> {
  ctx.out('', ctx.colors.bold(`$ sd ${argv.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`));
  await runCli(ctx.app, argv, { stdout: ctx.io.stdout, stderr: ctx.io.stderr, isTTY: false, env, cwd: ctx.io.cwd });
}

export const demoCommand: Command = {
  names: ['demo'],
  summary: 'Try SD on a throwaway database with a few tickets (no setup needed)',
  usage: ['demo'],
  async run(ctx) {
    ctx.noMoreWords();
    const root = join(mkdtempSync(join(tmpdir(), 'sd-demo-')), 'replica');
    const env: NodeJS.ProcessEnv = { ...ctx.env, SD_REPO: root, PROPHET_EMAIL: DEMO_EMAIL };
    delete env.SD_CONFIG;
    const replica = initSdReplica(root, { env });
    replica.config.set('user.email-address', DEMO_EMAIL);
    const ids = await fillDemo(replica);
    replica.close();
    if (ctx.json) {
      ctx.printJson({ replica: root, tickets: ids });
      return;
    }
    ctx.out(`SD demo: a throwaway database in ${root}`, 'with four tickets, comments, a binary attachment and one resolved ticket.');
    await tour(ctx, env, ['ticket', 'list']);
    await tour(ctx, env, ['ticket', 'show', String(ids.bytes)]);
    await tour(ctx, env, ['ticket', 'history', String(ids.docs)]);
    // Run through npx, `sd` is not on the user's PATH: show what they can type.
    const sd = ctx.env.npm_command === 'exec' ? 'npx sd' : 'sd';
    ctx.out(
      '',
      'Try it yourself:',
      `  export SD_REPO=${root}`,
      `  ${sd} ticket list --regex .                    # every ticket, closed ones too`,
      `  ${sd} ticket comment ${ids.sync} -m "me too"`,
      `  ${sd} ticket resolve ${ids.sync}`,
      `  ${sd} ticket create --summary "My first bug"`,
      `  ${sd} ticket attachment content ${ids.pixel} > pixel.png`,
      `  ${sd} help`,
      '',
      `When you are done: rm -r ${join(root, '..')}`,
      `To start a real database: ${sd} init --email you@example.com`,
    );
  },
};
