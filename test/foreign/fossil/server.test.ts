import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createdId, sdUser } from '../../sd/sd-cli.js';
import { sdOk, sdRun, ticketBySummary } from '../sd-side.js';
import { describeFossil, FossilRepo, startServer } from './fossil-repo.js';

describeFossil('sd and a Fossil server', () => {
  it('clones over http through its own clone, pushes through it, and says in one line when the server is down', async () => {
    const repo = FossilRepo.create();
    const uuid = repo.add({ title: 'On the server', status: 'Open', '+icomment': 'hello' }, 'bob');
    const server = await startServer(repo);
    const u = sdUser('alice@example.com', 'alice');
    try {
      const url = `fossil:http://alice:secret@127.0.0.1:${server.port}/`;
      expect(await sdOk(u, ['clone', '--from', url])).toMatch(/Cloned 1 ticket, 1 comment/);
      // The password went to fossil's clone, not to SD's config.
      expect(readFileSync(join(u.repo, 'config'), 'utf8')).not.toMatch(/secret/);
      const t = ticketBySummary(u, 'On the server');
      // A clone does not get the server's users' contact details: over http, users are their logins unless mapped.
      expect(t.comments.map((c) => c.props.creator)).toEqual(['bob']);

      const made = createdId(u.ok(['ticket', 'create', '--summary', 'Sent to the server', '--', 'status=open']));
      u.ok(['ticket', 'update', t.uuid, '--', 'status=closed']);
      const name = `fossil:http://127.0.0.1:${server.port}`;
      await sdOk(u, ['push', '--to', name]);
      expect(repo.byTitle('Sent to the server')).toHaveLength(1);
      expect(repo.tickets().find((x) => x.uuid === uuid)!.status).toBe('Closed');

      repo.set(uuid, { '+icomment': 'seen on the server' }, 'bob');
      await sdOk(u, ['pull', '--from', name]);
      expect(ticketBySummary(u, 'On the server').comments.map((c) => c.props.content).sort()).toEqual(['hello', 'seen on the server']);
      expect(ticketBySummary(u, 'Sent to the server').uuid).toBe(made.uuid);

      await server.stop();
      const down = await sdRun(u, ['pull', '--from', name]);
      expect(down.code).not.toBe(0);
      expect(down.stderr.trim().split('\n')).toHaveLength(1);
      expect(down.stderr).toMatch(/^sd: cannot sync with the Fossil server at http:\/\/127\.0\.0\.1:\d+: /);
    } finally {
      await server.stop();
    }
  });

  it('refuses a wrong password in one line, without showing it', async () => {
    const repo = FossilRepo.create();
    repo.add({ title: 'Private', status: 'Open' });
    const server = await startServer(repo);
    const u = sdUser('alice@example.com', 'alice');
    try {
      const r = await sdRun(u, ['clone', '--from', `fossil:http://alice:wrong-pw@127.0.0.1:${server.port}/`]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).not.toMatch(/wrong-pw/);
      expect(r.stderr.trim()).toMatch(/^sd: cannot sync with the Fossil server at http:\/\/127\.0\.0\.1:\d+\/?: .*login failed.*user:password@host/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});
