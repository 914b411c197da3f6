import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-replica.js';
import { createdId, sdUser, sdUserWithReplica } from './sd-cli.js';

const servers: Server[] = [];
afterEach(() => {
  while (servers.length) servers.pop()!.close();
});

/** A plain static web server over a directory, as `scp -r` to public_html would give. */
async function staticServer(root: string): Promise<string> {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root) || !existsSync(path) || statSync(path).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200);
    createReadStream(path).pipe(res);
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sd`;
}

describe('two users through sd alone', () => {
  it('clone, concurrent edits, pull both ways: same ticket, conflict in history, resolution reused by a third replica', () => {
    const alice = sdUserWithReplica('alice@example.com', 'alice');
    const { luid, uuid } = createdId(alice.ok(['ticket', 'create', '--summary', 'Shared bug']));
    alice.ok(['ticket', 'comment', luid, '-m', 'alice was here']);

    const bob = sdUser('bob@example.com', 'bob');
    bob.ok(['clone', alice.repo]);
    const carol = sdUser('carol@example.com', 'carol');
    carol.ok(['clone', '--from', alice.repo]);
    expect(bob.ok(['ticket', 'comments', uuid])).toMatch(/alice was here/);

    alice.ok(['ticket', 'update', luid, '--', 'status=open']);
    bob.ok(['ticket', 'update', uuid, '--', 'status=stalled', 'summary=Shared bug (bob)']);
    bob.ok(['ticket', 'comment', uuid, '-m', 'bob too']);
    // Carol hears of bob's edit before anyone has decided the conflict.
    carol.ok(['pull', '--from', bob.repo]);

    // Without a terminal nothing decides the conflict: sd says how, and writes nothing.
    const undecided = alice.sd(['pull', bob.repo]);
    expect(undecided.code).not.toBe(0);
    expect(undecided.stderr).toMatch(/--prefer source\|target/);

    expect(alice.ok(['pull', bob.repo, '--prefer', 'source'])).toMatch(/conflict on ticket .* 'status': kept "stalled"/);
    bob.ok(['pull', '--from', alice.repo]);

    const aliceShown = JSON.parse(alice.ok(['ticket', 'show', uuid, '--json']));
    const bobShown = JSON.parse(bob.ok(['ticket', 'show', uuid, '--json']));
    expect(aliceShown.props).toEqual(bobShown.props);
    expect(aliceShown.props).toMatchObject({ status: 'stalled', summary: 'Shared bug (bob)' });
    expect(aliceShown.comments.map((c: { props: { content: string } }) => c.props.content).sort()).toEqual(['alice was here', 'bob too']);
    expect(bobShown.comments).toHaveLength(2);
    expect(aliceShown.history.some((h: { is_resolution?: boolean }) => h.is_resolution)).toBe(true);
    const history = alice.ok(['ticket', 'history', uuid]);
    expect(history).toMatch(/\[conflict resolution\]/);
    expect(history).toMatch(/status: changed from new to open/);
    expect(history).toMatch(/status: changed from new to stalled/);

    // Carol meets the same conflict pulling alice's edit, and alice's resolution settles it, with no --prefer.
    expect(carol.ok(['pull', '--from', alice.repo])).toMatch(/kept "stalled" \(peer\)/);
    expect(JSON.parse(carol.ok(['ticket', 'show', uuid, '--json'])).props).toEqual(aliceShown.props);
    expect(carol.ok(['conflicts'])).toMatch(/-> "stalled" \(peer/);
  });
});

describe('the 2008 talk: publish, then pull over HTTP', () => {
  it('sd publish DIR; a peer pulls prophet:http://host/path', async () => {
    const jesse = sdUserWithReplica('jesse@example.com', 'jesse');
    const first = createdId(jesse.ok(['ticket', 'create', '--summary', "Can't sync sd with Google Code", '--status', 'new']));
    const web = tempDir('sd-web-');
    const published = join(web, 'sd');
    expect(jesse.sd(['publish', published]).code).toBe(0);
    const url = await staticServer(web);

    const cl = sdUser('cl@example.com', 'cl');
    const cloned = await cl.sdAsync(['clone', `prophet:${url}`]);
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(cl.ok(['ticket', 'search', '--regex', '.'])).toMatch(/Can't sync sd with Google Code new/);

    jesse.ok(['ticket', 'update', '--uuid', first.uuid, '--status', 'resolved']);
    jesse.ok(['publish', published]);
    const pulled = await cl.sdAsync(['pull', `prophet:${url}`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(cl.ok(['ticket', 'search', '--regex', '.'])).toMatch(/Can't sync sd with Google Code closed/);
  });
});
