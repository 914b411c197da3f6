import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { freePort } from '../helpers/free-port.js';
import { PG_ADMIN_USER } from './pg-server.js';

const SCRIPT = join(import.meta.dirname, 'pg-setup.sh');

/**
 * A PostgreSQL cluster of one test's own (pg-setup.sh), for what the run's
 * shared one must not go through: being stopped and started again while
 * other test files use it.
 */
export class PrivateCluster {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateCluster> {
    const cluster = new PrivateCluster(await freePort(), join(tmpdir(), `prophet-pg-${randomBytes(4).toString('hex')}`));
    cluster.script();
    return cluster;
  }

  /** A new, empty database in it: its URL. */
  database(name: string): string {
    const admin = new PgConnection(this.url('postgres'));
    try {
      admin.query(`CREATE DATABASE ${name}`);
    } finally {
      admin.close();
    }
    return this.url(name);
  }

  url(database: string): string {
    return `postgres://${PG_ADMIN_USER}@127.0.0.1:${this.port}/${database}`;
  }

  /** Stops it at once, as a crash or a failover does: connections drop, nothing is shut down politely. */
  stop(): void {
    this.script('stop');
  }

  /** Starts it again after `stop`, on the same port with the same data. */
  again(): void {
    this.script('again');
  }

  remove(): void {
    this.script('stop');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private script(command?: string): void {
    const r = spawnSync('bash', [SCRIPT, ...(command ? [command] : [])], { env: { ...process.env, PG_PORT: String(this.port), PG_DIR: this.dir }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg-setup.sh ${command ?? 'start'} failed: ${r.stderr}`);
  }
}
