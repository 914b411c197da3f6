/**
 * bench/hub.ts's PostgreSQL: a private, throwaway cluster made by the hub
 * tests' own script (test/hub/pg-setup.sh) on a free port, and the CPU time
 * that cluster and other processes spend, read from /proc.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PgConnection } from '../src/prophet/store/postgres/pg-connection.js';
import { freePort } from '../test/helpers/free-port.js';
import { PG_ADMIN_USER } from '../test/hub/pg-server.js';

const SCRIPT = join(import.meta.dirname, '..', 'test', 'hub', 'pg-setup.sh');

export interface Cluster {
  port: number;
  dir: string;
  version: string;
  /** A new, empty database: its URL. */
  createDatabase(name: string): string;
  /** CPU time (ms) the cluster's processes have used so far, those gone included. */
  cpuMs(): number;
  /** Stops it and removes its files; safe to call twice. */
  stop(): void;
}

function script(env: NodeJS.ProcessEnv, ...args: string[]): string {
  const r = spawnSync('bash', [SCRIPT, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg-setup.sh ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

export async function startCluster(): Promise<Cluster> {
  const port = await freePort();
  // Under /var/tmp, not a private temporary directory: the postgres user must reach it.
  const dir = mkdtempSync('/var/tmp/prophet-bench-hub-pg-');
  const env = { ...process.env, PG_PORT: String(port), PG_DIR: dir };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    script(env, 'stop');
    rmSync(dir, { recursive: true, force: true });
  };
  let version: string;
  try {
    version = /PostgreSQL (\S+)/.exec(script(env))?.[1] ?? '?';
  } catch (err) {
    stop();
    throw err;
  }
  const base = `postgres://${PG_ADMIN_USER}@127.0.0.1:${port}`;
  return {
    port,
    dir,
    version,
    createDatabase(name) {
      const admin = new PgConnection(`${base}/postgres`);
      try {
        admin.query(`CREATE DATABASE ${name}`);
      } finally {
        admin.close();
      }
      return `${base}/${name}`;
    },
    cpuMs() {
      const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      // The postmaster's own time and that of its children gone (cutime, cstime), plus its children alive.
      let ticks = processTicks(postmaster, true);
      for (const pid of childrenOf(postmaster)) ticks += processTicks(pid, false);
      return ticksToMs(ticks);
    },
    stop,
  };
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function ticksToMs(ticks: number): number {
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The fields of /proc/PID/stat after the command name (which may hold spaces), or undefined for a process gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15 of stat), and with `reaped` also cutime + cstime, in clock ticks. */
function processTicks(pid: number, reaped: boolean): number {
  const f = statFields(pid);
  if (!f) return 0;
  // After the name, field 3 (state) is f[0]: field n is f[n - 3].
  const own = Number(f[11]) + Number(f[12]);
  return reaped ? own + Number(f[13]) + Number(f[14]) : own;
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => Number(statFields(pid)?.[1]) === parent);
}

/** CPU time (ms) a live process has used so far, its threads included. */
export function processCpuMs(pid: number): number {
  return ticksToMs(processTicks(pid, false));
}
