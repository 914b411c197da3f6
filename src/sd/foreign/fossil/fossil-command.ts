/**
 * Runs the `fossil` program: every read and write of a repository goes
 * through it (its SQL shell for reads, `ticket add/set` for writes, `clone`
 * and `sync` for a server), so SD needs no knowledge of the repository's
 * file format and Fossil's own checks apply. Counts the runs for the sync
 * summary. Errors are one line naming what to do.
 */
import { spawn } from 'node:child_process';
import { ProphetError } from '../../../prophet/index.js';

/** A repository's SQL answers and artifacts: a 1,000-ticket repository reads in a few MiB. */
const MAX_OUTPUT = 512 * 1024 * 1024;

export class FossilCommand {
  runs = 0;

  constructor(
    /** The program: SD_FOSSIL, else `fossil` on the PATH. */
    private readonly program: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Runs fossil with `args`; its standard output, or a ProphetError made by `fail` from what it printed. */
  run(args: string[], fail: (complaint: string) => ProphetError): Promise<{ stdout: string; stderr: string }> {
    this.runs++;
    return new Promise((resolve, reject) => {
      // No standard input: fossil asks questions (remember the password?) only of a person, and would wait for one.
      const child = spawn(this.program, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      child.stdout.on('data', (b: Buffer) => {
        size += b.length;
        if (size > MAX_OUTPUT) child.kill();
        else out.push(b);
      });
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') reject(new ProphetError(`the fossil program is not installed (or not on the PATH): install it (Debian: apt-get install fossil) or set SD_FOSSIL to its path`, 'not-found'));
        else reject(fail(e.message));
      });
      child.on('close', (code) => {
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0) return resolve({ stdout, stderr });
        if (size > MAX_OUTPUT) return reject(fail(`its answer was larger than ${MAX_OUTPUT} bytes`));
        const lines = `${stderr}\n${stdout}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
        reject(fail(lines.length ? lines.join('\n') : `fossil ${args[0]} failed (exit ${code})`));
      });
    });
  }

  /** Rows of a query, in `fossil sql`'s JSON mode; the query names only values SD made (numbers, hashes). */
  async query<T>(repository: string, sql: string, fail: (complaint: string) => ProphetError): Promise<T[]> {
    const { stdout: out } = await this.run(['sql', '-R', repository, '.mode json', sql], fail);
    return out.trim() === '' ? [] : (JSON.parse(out) as T[]);
  }
}

/** The line of fossil's output that says what went wrong: its error, else its first line. */
export function complaintOf(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const telling = lines.find((l) => /^(Error:|cannot |server did not reply|missing or incorrect password)|login failed|not authorized|not a valid repository|does not exist|who you are|no such user/i.test(l));
  return telling?.replace(/^Error:\s*/, '') ?? (lines.length ? lines[0] : undefined);
}
