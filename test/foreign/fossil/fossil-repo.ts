/** Real Fossil repositories and servers for the Fossil tests, written to with the fossil program as a Fossil user would. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, inject, type SuiteAPI } from 'vitest';
import { freePort } from '../../helpers/free-port.js';
import { tempDir } from '../../helpers/temp-replica.js';

const unavailable = inject('fossilUnavailable');
/** `describe` for tests that need fossil: skipped only when it could not be installed (global-setup said why, loudly). */
export const describeFossil: ReturnType<SuiteAPI['skipIf']> = describe.skipIf(unavailable !== '');

/** The environment fossil runs in here: a home of its own (it keeps a list of repositories there). */
const HOME = mkdtempSync(join(tmpdir(), 'fossil-home-'));
afterAll(() => rmSync(HOME, { recursive: true, force: true }));
const ENV = { PATH: process.env.PATH, HOME, USER: 'admin' };

export function fossil(args: string[]): string {
  const r = spawnSync('fossil', args, { env: ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fossil ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export interface FossilTicket {
  uuid: string;
  title: string;
  status: string;
  priority: string | null;
  subsystem: string | null;
  resolution: string | null;
  comment: string | null;
}

export class FossilRepo {
  constructor(readonly path: string) {}

  /** A new repository whose admin is `admin`, with users `alice` and `bob`. */
  static create(dir = tempDir('fossil-repo-')): FossilRepo {
    const path = join(dir, 'tickets.fossil');
    fossil(['init', '-A', 'admin', path]);
    for (const user of ['alice', 'bob']) {
      fossil(['user', 'new', user, `${user}@example.com`, 'secret', '-R', path]);
      fossil(['user', 'capabilities', user, 'ei', '-R', path]);
    }
    return new FossilRepo(path);
  }

  get url(): string {
    return `fossil:${this.path}`;
  }

  /** A new ticket, as `user`; its uuid. */
  add(fields: Record<string, string>, user = 'alice'): string {
    const out = fossil(['ticket', 'add', ...Object.entries(fields).flat(), '-R', this.path, '-U', user]);
    return /succeeded for ([0-9a-f]+)/.exec(out)![1]!;
  }

  set(uuid: string, fields: Record<string, string>, user = 'alice'): void {
    fossil(['ticket', 'set', uuid, ...Object.entries(fields).flat(), '-R', this.path, '-U', user]);
  }

  rows<T>(sql: string): T[] {
    const out = fossil(['sql', '-R', this.path, '.mode json', sql]);
    return out.trim() ? (JSON.parse(out) as T[]) : [];
  }

  tickets(): FossilTicket[] {
    return this.rows<FossilTicket>('SELECT tkt_uuid AS uuid, title, status, priority, subsystem, resolution, comment FROM ticket ORDER BY tkt_id');
  }

  byTitle(title: string): FossilTicket[] {
    return this.tickets().filter((t) => t.title === title);
  }

  /** The appended comments of a ticket, oldest first, with who wrote them. */
  comments(uuid: string): Array<{ user: string; username: string | null; icomment: string }> {
    return this.rows(`SELECT c.tkt_user AS user, c.username AS username, c.icomment AS icomment FROM ticketchng c JOIN ticket t USING (tkt_id) WHERE t.tkt_uuid = '${uuid}' AND c.icomment IS NOT NULL ORDER BY c.tkt_rid`);
  }

  /** How many change artifacts the repository holds. */
  changeCount(): number {
    return this.rows<{ n: number }>("SELECT count(*) AS n FROM tagxref x JOIN tag g ON g.tagid = x.tagid WHERE g.tagname GLOB 'tkt-*'")[0]!.n;
  }
}

export interface FossilServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** `fossil server` for a repository on 127.0.0.1, ready when this resolves. */
export async function startServer(repo: FossilRepo, port?: number): Promise<FossilServer> {
  port ??= await freePort();
  const child = spawn('fossil', ['server', '--localhost', '--port', String(port), repo.path], { env: ENV, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/json/version`)).ok) break;
    } catch {
      if (i > 200) throw new Error(`fossil server on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.on('close', () => resolve());
        child.kill();
      }),
  };
}
