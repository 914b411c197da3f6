import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Small disks for tests: a tmpfs to fill, a read-only bind mount. Both
 * need root and a kernel that lets this process mount (not in most
 * containers); tests that need them skip with `mounting.why` otherwise.
 */

function sh(args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  return { ok: r.status === 0, err: (r.stderr || r.error?.message || '').trim() };
}

function probe(): { ok: boolean; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'mounts are only tried on Linux' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'mounting needs root' };
  const dir = mkdtempSync(join(tmpdir(), 'prophet-mount-probe-'));
  try {
    const mounted = sh(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    if (!mounted.ok) return { ok: false, why: `cannot mount a tmpfs here (${mounted.err || 'mount failed'})` };
    sh(['umount', dir]);
    return { ok: true, why: '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether this process may mount, and if not, why: for `describe.skipIf` and its title. */
export const mounting = probe();

/** Says in the test output why a block of tests did not run. */
export function skipNote(title: string): string {
  if (!mounting.ok) console.warn(`skipped "${title}": ${mounting.why}`);
  return mounting.ok ? title : `${title} (skipped: ${mounting.why})`;
}

const mounted: string[] = [];

/** A fresh tmpfs of `size` (e.g. '2m') at a new directory. */
export function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'prophet-tmpfs-'));
  const r = sh(['mount', '-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (!r.ok) throw new Error(`mount tmpfs at ${dir}: ${r.err}`);
  mounted.push(dir);
  return dir;
}

/** `source` again at a new directory, read-only. */
export function bindReadOnly(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'prophet-ro-'));
  for (const args of [['mount', '--bind', source, dir], ['mount', '-o', 'remount,bind,ro', dir]]) {
    const r = sh(args);
    if (!r.ok) throw new Error(`${args.join(' ')}: ${r.err}`);
  }
  mounted.push(dir);
  return dir;
}

/** Unmounts (lazily, should a child still hold a file) and removes every mount point made here. */
export function unmountAll(): void {
  while (mounted.length) {
    const dir = mounted.pop()!;
    sh(['umount', '-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills the disk holding `dir` to the last byte with a file `filler`; remove it to free the space. */
export function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  mkdirSync(dir, { recursive: true });
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return path;
}
