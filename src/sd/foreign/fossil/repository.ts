/**
 * The Fossil repository a connector reads and writes. A file is used in
 * place. A server is used through a clone of it kept for this SD replica
 * (Fossil's own way to work with a remote): `fossil sync` brings the
 * server's changes in before a pull and sends the clone's out after a
 * push, each one exchange when nothing changed; tickets are read and
 * written in the clone. Artifacts a push wrote and could not send stay in
 * the clone and go with the next sync: the clone is the push's outbox.
 *
 * The clone's row ids number the records' histories, so it must stay:
 * it lives in SD_FOSSIL_CLONES (default ~/.local/share/sd/fossil), named
 * after the SD replica and the server.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProphetError, redactUrls } from '../../../prophet/index.js';
import { fossilize, parseTicketChange, type TicketChange } from './artifacts.js';
import { complaintOf, type FossilCommand } from './fossil-command.js';
import type { FossilUrl } from './url.js';

/** Ticket change artifacts with their text, under a condition on `x.rid` or `g.tagname` (tagged `tkt-<ticket>`). */
const CHANGES = 'SELECT x.rid AS rid, b.uuid AS hash, CAST(content(b.uuid) AS TEXT) AS body FROM tagxref x JOIN tag g ON g.tagid = x.tagid JOIN blob b ON b.rid = x.rid WHERE';

interface ChangeRow {
  rid: number;
  hash: string;
  body: string;
}

/** What the repository's ticket set-up has: the fields a change may set (the ticket's and its changes') and the users. */
export interface FossilSchema {
  columns: Set<string>;
  logins: Set<string>;
  /** Users whose contact information is an email address: login → email. */
  emails: Map<string, string>;
  /** A clone's: the user it syncs as (and writes as, by default). */
  syncUser?: string;
}

/** Lines by which a clone or sync that exited 0 says it failed. */
const SYNC_FAILED = /^(Error:|cannot connect|server did not reply|missing or incorrect password)|login failed|not authorized/i;

/** Where SD keeps its clones of Fossil servers. */
export function clonesDirectory(env: NodeJS.ProcessEnv): string {
  return env.SD_FOSSIL_CLONES ?? join(env.XDG_DATA_HOME ?? join(env.HOME ?? homedir(), '.local', 'share'), 'sd', 'fossil');
}

export class FossilRepository {
  private schemaRead?: FossilSchema;
  private wrote = false;

  constructor(
    private readonly url: FossilUrl,
    private readonly fossil: FossilCommand,
    /** The clone's file, for a server (known once the local replica is). */
    private readonly clonePath: () => string,
  ) {}

  private get clone(): string | undefined {
    return this.url.kind === 'http' ? this.clonePath() : undefined;
  }

  /** The file fossil reads and writes. */
  get file(): string {
    return this.url.kind === 'file' ? this.url.path : this.clone!;
  }

  private get where(): string {
    return this.url.kind === 'file' ? this.url.path : `the Fossil server at ${this.url.server}`;
  }

  private failure = (output: string): ProphetError => {
    const complaint = complaintOf(output) ?? output;
    if (/repository does not exist|unable to open database/i.test(complaint)) return new ProphetError(`there is no Fossil repository at ${this.file} (${complaint})`, 'not-found');
    if (/not a valid repository|file is not a database/i.test(complaint)) return new ProphetError(`${this.file} is not a Fossil repository (${complaint})`, 'not-found');
    if (/who you are|no such user/i.test(complaint)) return new ProphetError(`fossil does not know which user writes to ${this.where} (${complaint}): set SD_FOSSIL_USER to one of its users`, 'identity');
    return new ProphetError(`fossil failed on ${this.where}: ${redactUrls(complaint)}`, 'io');
  };

  /** Makes the repository ready to read: a file must exist; a server's clone is made or brought up to date. */
  async open(): Promise<void> {
    if (this.url.kind === 'file') {
      if (!existsSync(this.url.path)) throw new ProphetError(`there is no Fossil repository at ${this.url.path} (no such file)`, 'not-found');
      return;
    }
    if (!existsSync(this.clone!)) {
      mkdirSync(join(this.clone!, '..'), { recursive: true, mode: 0o700 });
      const args = ['clone', '--save-http-password', this.remote(), this.clone!];
      if (!this.url.user) args.splice(1, 0, '-A', 'sd');
      try {
        await this.exchange(args);
      } catch (err) {
        // A clone that failed must not pass for one the next sync could bring up to date.
        rmSync(this.clone!, { force: true });
        throw err;
      }
    } else await this.sync();
  }

  /** The server's URL with the credentials the SD URL gave; none: the clone's saved ones. */
  private remote(): string {
    if (this.url.kind !== 'http' || !this.url.user) return this.url.kind === 'http' ? this.url.server : '';
    const u = new URL(this.url.server);
    u.username = this.url.user;
    if (this.url.password) u.password = this.url.password;
    return u.href;
  }

  private async sync(): Promise<void> {
    const args = ['sync', '-R', this.clone!];
    if (this.url.kind === 'http' && this.url.password) args.splice(1, 0, this.remote());
    await this.exchange(args);
  }

  /** A clone or sync: fossil exits 0 even when the server could not be reached or refused, and says so in its output. */
  private async exchange(args: string[]): Promise<void> {
    const server = this.url.kind === 'http' ? this.url.server : '';
    const refused = (complaint: string) => {
      const code = /login|password|authorized/i.test(complaint) ? 'unauthorized' : 'http';
      return new ProphetError(`cannot sync with the Fossil server at ${server}: ${redactUrls(complaint)}${code === 'unauthorized' ? ' (give the user and password once, in the URL before the host: user:password@host)' : ''}`, code);
    };
    const { stdout, stderr } = await this.fossil.run(args, (output) => refused(complaintOf(output) ?? output));
    const failed = `${stderr}\n${stdout}`.split('\n').map((l) => l.trim()).find((l) => SYNC_FAILED.test(l));
    if (failed) throw refused(failed.replace(/^Error:\s*/, ''));
  }

  /** Sends what the push wrote in the clone to the server. */
  async close(): Promise<void> {
    if (this.url.kind !== 'http' || !this.wrote) return;
    this.wrote = false;
    try {
      await this.sync();
    } catch (err) {
      if (err instanceof ProphetError) throw new ProphetError(`${err.message}; the changes pushed wait in SD's clone (${this.clone}) and go with the next sync`, err.code);
      throw err;
    }
  }

  /** Every ticket change artifact after row `after`, oldest first. */
  async changesAfter(after: number): Promise<TicketChange[]> {
    const rows = await this.fossil.query<ChangeRow>(
      this.file,
      `${CHANGES} g.tagname GLOB 'tkt-*' AND x.rid > ${Math.floor(after)} ORDER BY x.rid`,
      this.failure,
    );
    return rows.map((r) => parseTicketChange(r.rid, r.hash, r.body)).filter((c): c is TicketChange => c !== undefined);
  }

  async schema(): Promise<FossilSchema> {
    if (!this.schemaRead) {
      const rows = await this.fossil.query<{ kind: string; name: string; info: string | null }>(
        this.file,
        "SELECT 'column' AS kind, name, NULL AS info FROM pragma_table_info('ticket') UNION ALL SELECT 'column', name, NULL FROM pragma_table_info('ticketchng') UNION ALL SELECT 'login', login, info FROM user UNION ALL SELECT 'sync', value, NULL FROM config WHERE name = 'last-sync-url'",
        this.failure,
      );
      const users = rows.filter((r) => r.kind === 'login');
      const emails = users.flatMap((u) => {
        const email = /[^\s<>,;]+@[^\s<>,;]+\.[^\s<>,;]+/.exec(u.info ?? '')?.[0];
        return email ? [[u.name, email] as [string, string]] : [];
      });
      const sync = rows.find((r) => r.kind === 'sync')?.name;
      const syncUser = sync && URL.canParse(sync) ? decodeURIComponent(new URL(sync).username) || undefined : undefined;
      this.schemaRead = { syncUser, columns: new Set(rows.filter((r) => r.kind === 'column').map((r) => r.name)), logins: new Set(users.map((u) => u.name)), emails: new Map(emails) };
    }
    return this.schemaRead;
  }

  /**
   * Writes one ticket change (`ticket` undefined: a new ticket) as `user`
   * (undefined: fossil's default user); the artifact it made.
   */
  async write(ticket: string | undefined, fields: Array<[string, string]>, user: string | undefined): Promise<TicketChange> {
    const args = ['ticket', ...(ticket ? ['set', ticket] : ['add']), ...fields.flatMap(([name, value]) => [name, fossilize(value)]), '--quote', '-R', this.file];
    if (user) args.push('-U', user);
    const { stdout: out } = await this.fossil.run(args, this.failure);
    const made = /succeeded for ([0-9a-f]{40,64})/.exec(out)?.[1] ?? ticket;
    if (!made) throw new ProphetError(`fossil did not say which ticket it made in ${this.where}: ${out.trim()}`, 'internal');
    this.wrote = true;
    const rows = await this.fossil.query<ChangeRow>(
      this.file,
      `${CHANGES} g.tagname = 'tkt-${made}' ORDER BY x.rid DESC LIMIT 1`,
      this.failure,
    );
    const change = rows[0] && parseTicketChange(rows[0].rid, rows[0].hash, rows[0].body);
    if (!change) throw new ProphetError(`fossil wrote ticket ${made} in ${this.where} but its change cannot be found`, 'internal');
    return change;
  }
}
