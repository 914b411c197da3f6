import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const FILE = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'RESULTS.md');

/**
 * Replaces one benchmark's section of bench/RESULTS.md (between its markers)
 * and prints it, so each benchmark can be re-run on its own.
 */
export function writeResults(id: string, title: string, rows: string[][], opts: { columns?: string[]; intro?: string; /** Text after the table. */ outro?: string } = {}): void {
  const columns = opts.columns ?? ['measure', 'result'];
  const stamp = `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}`;
  const section = [
    `<!-- ${id}:start -->`,
    `## ${title}`,
    '',
    `Measured ${stamp}.${opts.intro ? ` ${opts.intro}` : ''}`,
    '',
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---|').join('')}`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    ...(opts.outro ? ['', opts.outro] : []),
    `<!-- ${id}:end -->`,
  ].join('\n');
  const before = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmark results\n\nEach section is written by its benchmark under `bench/`; see the README for how to run them.\n';
  const pattern = new RegExp(`<!-- ${id}:start -->[\\s\\S]*?<!-- ${id}:end -->`);
  const after = pattern.test(before) ? before.replace(pattern, section) : `${before.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, after);
  console.log(section);
}
