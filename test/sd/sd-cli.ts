import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-replica.js';

export const SD_BIN = join(import.meta.dirname, '..', '..', 'bin', 'sd.js');

export interface SdResult {
  code: number;
  stdout: string;
  stderr: string;
  bytes: Buffer;
}

export interface SdUser {
  home: string;
  repo: string;
  env: NodeJS.ProcessEnv;
  sd(args: string[], opts?: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string }): SdResult;
  /** Runs without blocking the event loop: for commands that talk to a server in the test process. */
  sdAsync(args: string[], opts?: { env?: NodeJS.ProcessEnv }): Promise<SdResult>;
  /** Runs and fails the test with the output when the command fails. */
  ok(args: string[], opts?: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string }): string;
}

/** A person using `sd` as a child process: a private HOME, a replica path and an email. */
export function sdUser(email: string | null = 'alice@example.com', name = 'user'): SdUser {
  const home = tempDir(`sd-${name}-`);
  const repo = join(home, 'replica');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, SD_REPO: repo, EDITOR: 'false', ...(email ? { EMAIL: email } : {}) };
  const user: SdUser = {
    home,
    repo,
    env,
    sd(args, opts = {}) {
      const r = spawnSync(process.execPath, [SD_BIN, ...args], { env: { ...env, ...opts.env }, input: opts.input, cwd: opts.cwd ?? home });
      return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), bytes: r.stdout };
    },
    sdAsync(args, opts = {}) {
      return new Promise((done) => {
        const child = spawn(process.execPath, [SD_BIN, ...args], { env: { ...env, ...opts.env }, cwd: home });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.on('close', (code) => {
          const bytes = Buffer.concat(out);
          done({ code: code ?? -1, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes });
        });
      });
    },
    ok(args, opts) {
      const r = user.sd(args, opts);
      if (r.code !== 0) throw new Error(`sd ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r.stdout;
    },
  };
  return user;
}

/** A user with an initialised replica. */
export function sdUserWithReplica(email = 'alice@example.com', name = 'user'): SdUser {
  const user = sdUser(email, name);
  user.ok(['init', '-n']);
  return user;
}

/** The luid and uuid in "Created ticket 1 (uuid)". */
export function createdId(output: string): { luid: string; uuid: string } {
  const m = /Created \w+ (\d+) \(([0-9a-f-]{36})\)/.exec(output);
  if (!m) throw new Error(`no 'Created ...' line in: ${output}`);
  return { luid: m[1]!, uuid: m[2]! };
}

/**
 * A script to stand in for $EDITOR: it records every text it was given
 * (in `<dir>/seen-N.txt`) and applies `edits` for that round: regex
 * replacements and appended text. Rounds past the list repeat the last.
 */
export function editorScript(rounds: Array<{ replace?: Array<[string, string]>; append?: string }>): { editor: string; dir: string } {
  const dir = tempDir('sd-editor-');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'edit.mjs');
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
const file = process.argv[2];
const rounds = ${JSON.stringify(rounds)};
const n = readdirSync(${JSON.stringify(dir)}).filter((f) => f.startsWith('seen-')).length;
let text = readFileSync(file, 'utf8');
writeFileSync(${JSON.stringify(dir)} + '/seen-' + n + '.txt', text);
const round = rounds[Math.min(n, rounds.length - 1)];
for (const [from, to] of round.replace ?? []) text = text.replace(new RegExp(from, 'm'), to);
if (round.append) text += round.append;
writeFileSync(file, text);
`,
  );
  return { editor: `${process.execPath} ${script}`, dir };
}
