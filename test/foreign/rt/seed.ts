import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RtServer } from './rt-server.js';

const SEED = join(import.meta.dirname, 'rt-seed.pl');

/**
 * Makes `count` tickets in `queue` of an RT that rt-setup.sh started, each
 * with five transactions (create with text, comment, correspondence, status,
 * custom field Severity), through RT's Perl API in one process: about 0.1 s
 * a ticket against several seconds through REST. Scrips do not run. Needs
 * root (it runs as www-data, the owner of RT's database). Answers the ids.
 */
export function seedTickets(server: Pick<RtServer, 'port' | 'dir'>, queue: string, count: number, prefix = 'seeded'): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'runuser',
      // The script on standard input: www-data may not be able to read the checkout (a clone under a 0700 directory).
      ['-u', 'www-data', '--', 'env', `SD_RT_PORT=${server.port}`, `SD_RT_DIR=${server.dir}`, 'perl', '-', queue, String(count), prefix],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stdin.end(readFileSync(SEED));
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => {
      const ids = out.split('\n').filter(Boolean).map(Number);
      if (code === 0 && ids.length === count) resolve(ids);
      else reject(new Error(`rt-seed.pl ${queue} ${count} exited ${code} after ${ids.length} tickets: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}
