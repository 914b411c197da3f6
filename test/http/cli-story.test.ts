import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../cli/helpers.js';
import { startProphetServer } from './live-server.js';
import { startStaticServer, type StaticServer } from './static-server.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function ok(box: Sandbox, args: string[]): Promise<string> {
  const r = await box.start(args);
  if (r.code !== 0) throw new Error(`prophet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function sandbox(email: string): Sandbox {
  const box = new Sandbox({ PROPHET_EMAIL: email });
  cleanup.push(() => box.cleanup());
  return box;
}

async function serveStatic(dir: string): Promise<StaticServer> {
  const server = await startStaticServer(dir);
  cleanup.push(() => server.close());
  return server;
}

describe('the seed story, from the command line', () => {
  it('Jesse publishes his bugs, CL clones from the URL, Jesse changes one, re-publishes, CL pulls', async () => {
    const jesse = sandbox('jesse@example.com');
    const cl = sandbox('cl@example.com');
    jesse.ok(['init']);
    const created = jesse.json<{ uuid: string }>(['create', '--type', 'Bug', '--', 'summary=Sync loses my edits', 'status=new']);
    const site = join(jesse.dir, 'site');
    expect(jesse.ok(['publish', '--to', site])).toMatch(/Published \d+ changesets/);
    const host = await serveStatic(site);

    await ok(cl, ['clone', '--from', host.url]);
    expect(cl.json<{ props: Record<string, string> }>(['show', created.uuid, '--type', 'Bug']).props.status).toBe('new');

    jesse.ok(['update', created.uuid, '--type', 'Bug', '--', 'status=open']);
    jesse.ok(['publish', site]);
    await ok(cl, ['pull', '--from', host.url]);
    expect(cl.json<{ props: Record<string, string> }>(['show', created.uuid, '--type', 'Bug']).props.status).toBe('open');
  });

  it('publish --html, bundles, and pulling a bundle file', () => {
    const jesse = sandbox('jesse@example.com');
    const cl = sandbox('cl@example.com');
    jesse.ok(['init']);
    jesse.ok(['create', '--type', 'Bug', '--', 'summary=<b>bold</b>']);
    jesse.ok(['config', 'replica.web.publish-url', join(jesse.dir, 'site')]);
    jesse.ok(['publish', 'web', '--html']);
    expect(existsSync(join(jesse.dir, 'site', 'replica.json'))).toBe(true);
    expect(existsSync(join(jesse.dir, 'site', 'html', 'Bug', 'index.html'))).toBe(true);
    const bundle = join(jesse.dir, 'stick.bundle');
    expect(jesse.ok(['bundle', 'create', bundle])).toMatch(/Wrote \d+ changesets/);
    cl.ok(['clone', '--from', bundle]);
    expect(cl.ok(['search', '--type', 'Bug'])).toContain('<b>bold</b>');
    const missing = jesse.run(['publish', 'nohost:/srv/x'], { env: { RSYNC: '/nonexistent/rsync' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/needs rsync, which is not installed/);
  });

  it('serves, takes a push only with a token, and refuses a push to a static folder', async () => {
    const owner = sandbox('owner@example.com');
    const alice = sandbox('alice@example.com');
    owner.ok(['init']);
    owner.ok(['create', '--type', 'Bug', '--', 'summary=first']);
    const token = owner.ok(['server', 'token', 'create', '--label', 'alice']).split('\n')[0]!;
    expect(owner.ok(['server', 'token', 'list'])).toContain('alice');
    const { url } = await startProphetServer(owner, ['--writable']);

    await ok(alice, ['clone', '--from', url]);
    alice.ok(['create', '--type', 'Bug', '--', 'summary=from alice']);
    const refused = await alice.start(['push', '--to', url]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/token/);
    await ok(alice, ['push', '--to', url, '--token', token]);
    const listed = (await (await fetch(new URL('records/Bug', url))).json()) as { records: Array<{ props: { summary: string } }> };
    expect(listed.records.map((r) => r.props.summary).sort()).toEqual(['first', 'from alice']);

    const site = join(owner.dir, 'site');
    owner.ok(['publish', site]);
    const host = await serveStatic(site);
    const staticPush = await alice.start(['push', '--to', host.url, '--token', token]);
    expect(staticPush.code).not.toBe(0);
    expect(staticPush.stderr).toMatch(/publish instead/);

    const taken = await owner.start(['server', '--port', new URL(url).port]);
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim().split('\n')).toHaveLength(1);
    expect(taken.stderr).toMatch(/already in use/);
  });
});
