import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxesRemovedAfterEach } from '../cli/helpers.js';

const sandbox = sandboxesRemovedAfterEach();

describe('prophet clone, pull, push, merge, conflicts', () => {
  it('clones, pulls with a preference, lists the conflict, and pushes back', () => {
    const box = sandbox();
    const bob = join(box.dir, 'bob');
    box.ok(['init']);
    const { uuid } = box.create('Bug', { status: 'new' });
    expect(box.ok(['clone', '--from', box.repo, '--to', bob])).toMatch(/Cloned 1 changeset /);
    box.ok(['update', uuid, '--type', 'Bug', '--', 'status=stalled'], { env: { PROPHET_REPO: bob, PROPHET_EMAIL: 'bob@example.com' } });
    box.ok(['update', uuid, '--type', 'Bug', '--', 'status=open']);

    const failed = box.fails(['pull', '--from', box.repo], { env: { PROPHET_REPO: bob } });
    expect(failed.stderr).toMatch(new RegExp(`Bug ${uuid}: 'status'.*--prefer`));

    expect(box.ok(['pull', '--from', box.repo, '--dry-run'], { env: { PROPHET_REPO: bob } })).toMatch(/Would merge 1 changeset/);
    const out = box.ok(['pull', '--from', box.repo, '--prefer', 'target'], { env: { PROPHET_REPO: bob } });
    expect(out).toMatch(/Merged 1 changeset/);
    expect(out).toMatch(/kept "stalled" \(prefer\)/);
    const listed = box.json<Array<{ name: string; how: string; chosen: string }>>(['conflicts'], { env: { PROPHET_REPO: bob } });
    expect(listed).toMatchObject([{ name: 'status', how: 'prefer', chosen: 'stalled' }]);

    expect(box.ok(['push', '--to', box.repo, '--dry-run'], { env: { PROPHET_REPO: bob } })).toMatch(new RegExp(`^Would push 2 changesets to ${box.repo}:`));
    const pushed = box.json<{ changesets: { integrated: number } }>(['push', '--to', box.repo], { env: { PROPHET_REPO: bob } });
    expect(pushed.changesets.integrated).toBe(2);
    expect(box.ok(['push', '--to', box.repo], { env: { PROPHET_REPO: bob } })).toBe(`Nothing to push to ${box.repo}: it has every changeset of this replica.\n`);
    expect(box.json<{ props: Record<string, string> }>(['show', uuid, '--type', 'Bug']).props.status).toBe('stalled');
  });

  it('refuses different databases without --force, naming both', () => {
    const box = sandbox();
    const other = join(box.dir, 'other');
    box.ok(['init']);
    box.ok(['init', other]);
    const r = box.fails(['merge', '--from', other, '--to', box.repo]);
    expect(r.stderr).toMatch(/different database.*--force/);
    expect(box.ok(['merge', '--from', other, '--to', box.repo, '--force'])).toMatch(/Already up to date: no new changesets/);
  });

  it('pull --all: pulls what it can reach, prints an array (failures as {source, error}), exits 1 naming the failure', () => {
    const box = sandbox();
    const bob = join(box.dir, 'bob');
    box.ok(['init']);
    box.ok(['clone', '--from', box.repo, '--to', bob]);
    box.create('Bug', { status: 'new' });
    box.ok(['config', 'replica.gone.url', join(box.dir, 'gone')], { env: { PROPHET_REPO: bob } });
    const r = box.run(['pull', '--all', '--json'], { env: { PROPHET_REPO: bob } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject([{ source: box.repo, changesets: { integrated: 1 } }, { source: join(box.dir, 'gone'), error: expect.stringMatching(/^no prophet replica at/) }]);
    expect(r.stderr).toMatch(/^prophet: could not pull from 1 of 2 replicas: \S+gone: no prophet replica at [^\n]*\n$/);
    box.ok(['config', 'delete', 'replica.gone.url'], { env: { PROPHET_REPO: bob } });
    expect(box.json(['pull', '--all'], { env: { PROPHET_REPO: bob } })).toMatchObject([{ source: box.repo }]);
  });
});
