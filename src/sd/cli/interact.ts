import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Context } from '../../prophet/index.js';

/** Prompts need a person at both ends: a terminal for input and for output. */
export function canPrompt(ctx: Context): boolean {
  return ctx.isTTY && !!process.stdin.isTTY;
}

/** Reads one line from the terminal, synchronously (commands run to completion one at a time). */
function readLine(): string {
  const fd = openSync('/dev/tty', 'r');
  try {
    const buffer = Buffer.alloc(1);
    let line = '';
    while (readSync(fd, buffer, 0, 1, null) === 1 && buffer[0] !== 0x0a) line += buffer.toString('utf8');
    return line.replace(/\r$/, '');
  } finally {
    closeSync(fd);
  }
}

export function ask(ctx: Context, question: string): string {
  ctx.io.stdout(question);
  return readLine().trim();
}

/** `<question> [Y/n]: `, Enter meaning the default. */
export function confirm(ctx: Context, question: string, byDefault = true): boolean {
  const answer = ask(ctx, `${question} ${byDefault ? '[Y/n]' : '[y/N]'}: `).toLowerCase();
  return answer === '' ? byDefault : answer.startsWith('y');
}

/** The pager: the `core.pager` config key, else $PAGER, else `less`; none with --no-pager or when set to '' or `cat`. */
function pagerCommand(ctx: Context): string | undefined {
  if (ctx.flag('no-pager')) return undefined;
  const pager = ctx.config().get('core.pager') ?? ctx.env.PAGER ?? 'less';
  return pager.trim() === '' || pager.trim() === 'cat' ? undefined : pager;
}

/**
 * Prints long output through the pager (`less -FRX` by default) when on a
 * terminal, so a long ticket or list does not scroll away; otherwise prints it.
 */
export function page(ctx: Context, lines: string[]): void {
  const rows = process.stdout.rows ?? 24;
  const pager = pagerCommand(ctx);
  if (!pager || !canPrompt(ctx) || lines.length < rows - 1) {
    // One write, not one per line: a long list is thousands of lines.
    if (lines.length) ctx.io.stdout(`${lines.join('\n')}\n`);
    return;
  }
  const result = spawnSync(pager, { shell: true, input: `${lines.join('\n')}\n`, stdio: ['pipe', 'inherit', 'inherit'], env: { LESS: '-FRX', ...ctx.env } });
  if (result.error || result.status === 127) ctx.io.stdout(`${lines.join('\n')}\n`);
}
