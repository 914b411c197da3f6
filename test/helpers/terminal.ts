/**
 * A program on a real pseudo-terminal, through tmux: what a person would
 * see is `screen()`, rendered by tmux from everything the program drew
 * (progress bars redrawing a line, prompts, cursor moves), not the raw bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';

const open: Terminal[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

let tmuxChecked = false;

/** tmux is not on a fresh machine: the tests install it, as the web tests install Chromium. */
function ensureTmux(): void {
  if (tmuxChecked) return;
  tmuxChecked = true;
  if (spawnSync('tmux', ['-V']).status === 0) return;
  const apt = (...args: string[]) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: 'inherit' }).status === 0;
  if (!apt('install', '-y', 'tmux') && !(apt('update') && apt('install', '-y', 'tmux'))) {
    throw new Error('the terminal tests need tmux and could not install it with apt-get: install it (apt-get install tmux)');
  }
}

export class Terminal {
  private readonly socket = `prophet-test-${randomUUID().slice(0, 8)}`;

  /** Starts `argv` in a terminal `cols` × `rows`; `EXIT=<code>` is printed when it ends, and the terminal stays open. */
  constructor(argv: string[], env: NodeJS.ProcessEnv, cwd: string, cols = 110, rows = 40) {
    ensureTmux();
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const envWords = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}='${v!.replace(/'/g, `'\\''`)}'`).join(' ');
    this.tmux('new-session', '-d', '-x', String(cols), '-y', String(rows), '-c', cwd, `env -i TERM=xterm-256color ${envWords} ${quoted}; echo EXIT=$?; sleep 3600`);
    open.push(this);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen, one string a row, trailing blanks cut; with `escapes`, colours kept as escape sequences. */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : [])).replace(/\s+$/, '\n');
  }

  /** Waits until the screen matches; fails showing the screen when it has not after `seconds` (a hang, not a speed limit). */
  async waitFor(pattern: RegExp, seconds = 60): Promise<string> {
    for (let waited = 0; ; waited += 0.1) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (waited > seconds) throw new Error(`the screen never showed ${pattern}; it shows:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Presses keys by tmux's names: `C-d`, `Up`, `Enter`. */
  press(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Types text as it is. */
  type(text: string): void {
    this.tmux('send-keys', '-l', '--', text);
  }

  /** Types text and presses Enter. */
  typeLine(text: string): void {
    this.type(text);
    this.tmux('send-keys', 'Enter');
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
